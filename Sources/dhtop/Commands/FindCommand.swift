import ArgumentParser
import DHTCore
import DHTWire

/// `dhtop find ID|KEY`: an iterative findNode for the nodes closest to an id (40 hex digits)
/// or to a hashed key string. Exit 0 when any node answered, 1 otherwise.
struct FindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find the nodes closest to an id or a key."
    )

    @Argument(help: ArgumentHelp("A 40-hex-digit node id, or a key string (hashed as BitDust does).", valueName: "id-or-key"))
    var target: String

    @OptionGroup var common: OneShotOptions

    /// The id looked up: the argument itself when it is 40 hex digits, else its sha1.
    var targetID: NodeID { NodeID(hex: target) ?? DHTKey.hash(target) }

    func run() async throws {
        let seeds = try EphemeralSession.seeds(common.seedOptions)
        let session = try EphemeralSession(seeds: seeds, layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        try await session.joinOrFail(json: common.json)
        let id = targetID
        let result = await session.perform(.findNode(id, layer: common.layer))
        var json = JSONObject()
        json.add("target", target)
        json.add("target_id", id.hex)
        json.add("layer", common.layer)
        guard case .closest(let summary)? = result, !summary.closest.isEmpty else {
            let reason: String
            switch result {
            case .failed(let f)?: reason = f.message
            case nil: reason = "timed out after \(common.timeout) s"
            default: reason = "no node answered"
            }
            throw Output.failure(reason, json: json, asJSON: common.json)
        }
        json.add("ok", true)
        json.addCost(summary)
        json.add("nodes", objects: summary.closest.map(JSONObject.contact))
        if common.json {
            Output.line(json.text)
            return
        }
        Output.line("\(summary.closest.count) closest to \(id.hex) \(Output.cost(summary))")
        for c in summary.closest {
            let prefix = c.id.commonPrefixLength(with: id)
            Output.line("  \(c.id.hex) \(c.endpoint) (\(prefix) common bits)")
        }
    }
}
