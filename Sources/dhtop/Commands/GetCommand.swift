import ArgumentParser
import DHTCore
import DHTWire

/// `dhtop get KEY`: an iterative findValue from a throwaway node. Exit 0 and the value when
/// found; exit 1 when not found or the lookup failed.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Look up a value in the DHT."
    )

    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var common: OneShotOptions

    func run() async throws {
        let seeds = try EphemeralSession.seeds(common.seedOptions)
        let session = try EphemeralSession(seeds: seeds, layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        try await session.joinOrFail()
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
