import ArgumentParser
import BitDustRecords
import DHTCore
import DHTRuntime
import DHTWire
import Foundation

/// `dhtop get KEY`: an iterative findValue from a throwaway node. Exit 0 and the value when
/// found; exit 1 when not found or the lookup failed.
/// `dhtop get --record TYPE PARTS…`: reads a BitDust record the way BitDust's reader does (every
/// copy, highest revision wins), decodes it, and lists the replicas and where they disagree.
/// Exit 0 when a valid record was found; 1 when none was, or the winner breaks the type's rules.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Look up a value in the DHT (or, with --record, a decoded BitDust record).",
        discussion: "With --record, KEY is a record type followed by its key parts:\n" + RecordType.usageText
    )

    @OptionGroup var keyOptions: KeyOptions

    @Argument(help: "With --record: the key parts after the record type.")
    var parts: [String] = []

    @Flag(help: "Read a BitDust record: KEY is its type, then come its key parts (see `dhtop key`).")
    var record = false

    @Flag(help: "With --record: show the raw value instead of the decoded fields.")
    var raw = false

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        if !record && (!parts.isEmpty || raw) {
            throw ValidationError(raw ? "--raw needs --record" : "unexpected extra arguments \(parts); did you mean --record?")
        }
        if record && keyOptions.rawKey { throw ValidationError("--raw-key cannot be combined with --record") }
    }

    func run() async throws {
        if record { return try await runRecord() }
        let seeds = try EphemeralSession.seeds(common.seedOptions)
        let session = try EphemeralSession(seeds: seeds, layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        try await session.joinOrFail(json: common.json)
        let key = keyOptions.keyHash
        let result = await session.perform(.findValue(key: key, layer: common.layer, collectAll: false))
        var json = JSONObject()
        json.add("key", keyOptions.key)
        json.add("key_hash", key.hex)
        json.add("layer", common.layer)
        switch result {
        case .value(let lookup)?:
            json.add("found", lookup.found)
            if let first = lookup.values.first {
                json.add("value", Output.text(of: first.value))
                json.add("expire_seconds", Int(first.expireSeconds))
                json.add("from_id", first.from.id.hex)
                json.add("from", first.from.endpoint.description)
            }
            json.addCost(lookup.lookup)
            if common.json { Output.line(json.text) }
            guard let first = lookup.values.first else {
                Output.fail("\(keyOptions.key) not found \(Output.cost(lookup.lookup)), \(lookup.lookup.responders) nodes answered")
                throw ExitCode(DHTop.failureStatus)
            }
            if !common.json {
                Output.line("found \(Output.cost(lookup.lookup)) on \(first.from.endpoint) (\(first.from.id.hex))")
                Output.line(Output.text(of: first.value))
            }
        case .failed(let failure)?:
            try Self.failed(failure.message, json: json, asJSON: common.json)
        case nil:
            try Self.failed("timed out after \(common.timeout) s", json: json, asJSON: common.json)
        default:
            try Self.failed("unexpected result \(String(describing: result))", json: json, asJSON: common.json)
        }
    }

    /// Prints a failed lookup (as JSON too when asked) and exits 1.
    static func failed(_ reason: String, json: JSONObject, asJSON: Bool) throws -> Never {
        if asJSON {
            var json = json
            json.add("found", false)
            json.add("error", reason)
            Output.line(json.text)
        }
        Output.fail(reason)
        throw ExitCode(DHTop.failureStatus)
    }
}

extension GetCommand {
    /// `get --record`: one collect-all findValue, reported by `RecordReadReport`.
    func runRecord() async throws {
        let key = try KeyCommand.parseKey(type: keyOptions.key, parts: parts)
        let flow = RecordReadFlow(key: key, layer: common.layer)
        let seeds = try EphemeralSession.seeds(common.seedOptions)
        let session = try EphemeralSession(seeds: seeds, layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        try await session.joinOrFail(json: common.json)
        let result = await session.perform(flow.operation)
        var json = JSONObject()
        json.add("type", key.type.rawValue)
        json.add("key_string", key.string)
        json.add("key_hash", key.hash.hex)
        json.add("layer", common.layer)
        let report: RecordReadReport
        do {
            report = try flow.report(result, now: Int64(Date().timeIntervalSince1970))
        } catch {
            try Self.failed(error.code == .timeout ? "timed out after \(common.timeout) s" : error.message, json: json, asJSON: common.json)
        }
        if common.json {
            Output.line(Self.json(report, base: json).text)
        } else {
            if let lookup = report.lookup { Output.line("\(report.summary) \(Output.cost(lookup))") }
            for line in report.lines(raw: raw) { Output.line(line) }
        }
        guard let view = report.view else {
            Output.fail("\(key.type.rawValue) record \(key.string) not found")
            throw ExitCode(DHTop.failureStatus)
        }
        guard report.readable else {
            Output.fail("the record is invalid: \(report.comparison.bitDustReaderError ?? view.validityText)")
            throw ExitCode(DHTop.failureStatus)
        }
    }

    /// Everything the report holds, as one JSON object.
    static func json(_ report: RecordReadReport, base: JSONObject) -> JSONObject {
        var json = base
        json.add("found", report.found)
        json.add("readable", report.readable)
        if let view = report.view, let winner = report.comparison.winner {
            json.add("kind", view.kind)
            json.add("owner", view.owner)
            json.raw("revision", view.revision.map(String.init) ?? "null")
            json.raw("timestamp", view.timestamp.map(String.init) ?? "null")
            json.raw("age_seconds", view.age.map(String.init) ?? "null")
            json.add("valid", view.isValid)
            json.add("validity", view.validityText)
            json.add("violations", strings: view.violations.map(\.description))
            json.add("notes", strings: view.notes)
            json.add("fields", objects: view.fields.map { f in
                var o = JSONObject()
                o.add("label", f.label)
                o.add("value", f.value)
                return o
            })
            json.raw("record", view.json?.compactText ?? "null")
            json.add("value", winner.value)
        }
        json.add("replicas", objects: report.replicas.map { r in
            var o = JSONObject()
            o.add("id", r.nodeID.hex)
            o.add("address", r.endpoint.description)
            o.raw("revision", r.revision.map(String.init) ?? "null")
            o.add("kept", r.isWinner)
            o.add("matches_kept", r.matchesWinner)
            o.add("valid", r.isValid)
            return o
        })
        json.add("agree", report.comparison.agree)
        json.add("disagreements", strings: report.comparison.disagreements.map(\.description))
        json.add("bitdust_reader_error", report.comparison.bitDustReaderError)
        if let lookup = report.lookup { json.addCost(lookup) }
        return json
    }
}

extension JSONObject {
    /// An array of strings.
    mutating func add(_ key: String, strings: [String]) {
        raw(key, "[" + strings.map(EventJSON.quote).joined(separator: ",") + "]")
    }
}
