import ArgumentParser
import BitDustRecords
import DHTCore
import DHTWire
import Foundation

/// `dhtop set KEY VALUE`: an iterative store from a throwaway node. Exit 0 when at least one
/// node answered OK; exit 1 otherwise, listing each node's refusal or timeout.
/// `dhtop set --record TYPE PARTS… FIELD=VALUE…`: builds the record as BitDust serializes it,
/// checks its rules locally (exit 1, nothing sent, when one fails), reads the network's current
/// revision, stores the next one, and names the rule behind each remote refusal. Exit 0 only when
/// no node refused (BitDust's `set_valid_data` success).
struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Store a value in the DHT (or, with --record, a BitDust record) on the nodes closest to its key.",
        discussion: """
        With --record, KEY is a record type, then its key parts, then FIELD=VALUE assignments (a VALUE \
        that parses as JSON is used as JSON, else as a string; suppliers=a,b is a list). key, type, \
        timestamp and revision are filled in. Types and their parts:
        """ + "\n" + RecordType.usageText
    )

    @OptionGroup var keyOptions: KeyOptions

    @Argument(help: "The value (BitDust nodes accept only a JSON object with a \"type\" field).")
    var value: String?

    @Argument(help: "With --record: more key parts, then FIELD=VALUE assignments.")
    var rest: [String] = []

    @Flag(help: "Write a BitDust record: KEY is its type, then come its key parts and FIELD=VALUE fields.")
    var record = false

    @Flag(name: .customLong("no-read"), help: "With --record: do not read the current value first (revision 0 unless revision=N is given); nodes holding a newer or different-typed value refuse.")
    var noRead = false

    @Flag(name: .customLong("bitdust-nickname"), help: "With --record nickname: fill nickname/position exactly as BitDust 0.1.24 does (its key-splitting quirk).")
    var bitdustNickname = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Lifetime in seconds; nodes clamp it to 120-43200.", valueName: "seconds"))
    var expire: Int64 = 43_200

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        guard expire >= 0 else { throw ValidationError("--expire must not be negative") }
        if record {
            if keyOptions.rawKey { throw ValidationError("--raw-key cannot be combined with --record") }
        } else {
            guard value != nil else { throw ValidationError("missing VALUE") }
            if !rest.isEmpty { throw ValidationError("unexpected extra arguments \(rest); did you mean --record?") }
            if noRead || bitdustNickname { throw ValidationError("--no-read and --bitdust-nickname need --record") }
        }
    }

    func run() async throws {
        if record { return try await runRecord() }
        guard let value else { throw ValidationError("missing VALUE") }
        let seeds = try EphemeralSession.seeds(common.seedOptions)
        let session = try EphemeralSession(seeds: seeds, layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        try await session.joinOrFail(json: common.json)
        let key = keyOptions.keyHash
        let result = await session.perform(.store(key: key, value: .string(value), expireSeconds: expire, layer: common.layer))
        var json = JSONObject()
        json.add("key", keyOptions.key)
        json.add("key_hash", key.hex)
        json.add("layer", common.layer)
        guard case .stored(let summary)? = result else {
            let reason: String
            if case .failed(let f)? = result { reason = f.message } else { reason = "timed out after \(common.timeout) s" }
            throw Output.failure(reason, json: json, asJSON: common.json)
        }
        let ok = summary.okCount > 0
        json.add("ok", ok)
        json.add("stored", summary.okCount)
        json.addCost(summary.lookup)
        json.add("nodes", objects: summary.replies.map(Self.json))
        if common.json {
            Output.line(json.text)
        } else {
            Output.line("stored on \(summary.okCount) of \(summary.replies.count) nodes \(Output.cost(summary.lookup))")
            for reply in summary.replies { Output.line("  " + Self.text(reply)) }
        }
        guard ok else {
            Output.fail(summary.replies.isEmpty ? "no node found to store on" : "no node accepted the value")
            throw ExitCode(DHTop.failureStatus)
        }
    }

    /// `OK       <id> <address>`, `refused  … : reason`, `timeout  …`.
    static func text(_ reply: StoreReply) -> String {
        let who = "\(reply.peer.id.hex) \(reply.peer.endpoint)"
        switch reply.outcome {
        case .ok: return "OK       \(who)"
        case .refused(let type, let message): return "refused  \(who): \(type): \(message)"
        case .timeout: return "timeout  \(who)"
        case .unexpected(let answer): return "unexpected \(who): \(answer)"
        }
    }

    static func json(_ reply: StoreReply) -> JSONObject {
        var o = JSONObject.contact(reply.peer)
        switch reply.outcome {
        case .ok: o.add("result", "ok")
        case .refused(let type, let message): o.add("result", "refused"); o.add("reason", "\(type): \(message)")
        case .timeout: o.add("result", "timeout")
        case .unexpected(let answer): o.add("result", "unexpected"); o.add("reason", answer)
        }
        return o
    }
}

extension SetCommand {
    /// `set --record`: `RecordWriteFlow` driven through a throwaway node.
    func runRecord() async throws {
        let type = try KeyCommand.recordType(keyOptions.key)
        let (parts, assignments) = RecordWriteFlow.split((value.map { [$0] } ?? []) + rest)
        let key = try KeyCommand.parseKey(type: keyOptions.key, parts: parts)
        var json = JSONObject()
        json.add("type", type.rawValue)
        json.add("key_string", key.string)
        json.add("key_hash", key.hash.hex)
        json.add("layer", common.layer)
        let flow: RecordWriteFlow
        do {
            flow = try RecordWriteFlow(type: type, parts: parts, assignments: assignments, layer: common.layer,
                                       expireSeconds: expire, now: Int64(Date().timeIntervalSince1970),
                                       nickname: bitdustNickname ? .bitdust : .intended)
        } catch {
            if case .badAssignment = error { throw ValidationError(error.description) }
            if case .key = error { throw ValidationError(error.description) }
            try refusedLocally(error, networkRevision: nil, json: json)
        }
        let seeds = try EphemeralSession.seeds(common.seedOptions)
        let session = try EphemeralSession(seeds: seeds, layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        try await session.joinOrFail(json: common.json)
        let step: RecordWriteFlow.Step
        if noRead {
            step = flow.blindStore
        } else {
            do {
                step = try flow.afterRead(await session.perform(flow.readOperation))
            } catch {
                try GetCommand.failed("cannot read the current value: \(error.message)", json: json, asJSON: common.json)
            }
        }
        switch step {
        case .refused(let error, let networkRevision):
            try refusedLocally(error, networkRevision: networkRevision, json: json)
        case .store(let built, let operation, let networkRevision):
            let outcome = flow.outcome(of: await session.perform(operation), built: built, networkRevision: networkRevision)
            if common.json {
                Output.line(Self.json(outcome, base: json).text)
            } else {
                Output.line(outcome.summary + (outcome.lookup.map { " " + Output.cost($0) } ?? ""))
                for line in outcome.lines() { Output.line(line) }
            }
            guard outcome.succeeded else {
                Output.fail(outcome.summary)
                throw ExitCode(DHTop.failureStatus)
            }
        }
    }

    /// A write refused before anything was stored: the failed rule, exit 1.
    func refusedLocally(_ error: RecordBuilder.BuildError, networkRevision: Int64?, json: JSONObject) throws -> Never {
        if common.json {
            var json = json
            json.add("ok", false)
            json.add("sent", false)
            json.raw("network_revision", networkRevision.map(String.init) ?? "null")
            json.add("error", error.description)
            Output.line(json.text)
        }
        Output.fail(error.description)
        throw ExitCode(DHTop.failureStatus)
    }

    /// A record store's outcome as one JSON object.
    static func json(_ outcome: RecordWriteOutcome, base: JSONObject) -> JSONObject {
        var json = base
        json.add("ok", outcome.succeeded)
        json.add("sent", true)
        json.raw("network_revision", outcome.networkRevision.map(String.init) ?? "null")
        json.raw("revision", outcome.built.revision.map(String.init) ?? "null")
        json.add("value", outcome.built.value)
        json.raw("record", outcome.built.json.compactText)
        json.add("stored", outcome.okCount)
        json.add("refused", outcome.refusedCount)
        json.add("summary", outcome.summary)
        json.add("error", outcome.failure)
        json.add("nodes", objects: outcome.nodes.map { n in
            var o = JSONObject()
            o.add("id", n.nodeID.hex)
            o.add("address", n.endpoint.description)
            switch n.result {
            case .ok: o.add("result", "ok")
            case .refused(let rule, let message): o.add("result", "refused"); o.add("rule", rule); o.add("reason", message)
            case .timeout: o.add("result", "timeout")
            case .unexpected(let s): o.add("result", "unexpected"); o.add("reason", s)
            }
            return o
        })
        if let lookup = outcome.lookup { json.addCost(lookup) }
        return json
    }
}
