import ArgumentParser
import DHTCore
import DHTWire

/// `dhtop set KEY VALUE`: an iterative store from a throwaway node. Exit 0 when at least one
/// node answered OK; exit 1 otherwise, listing each node's refusal or timeout.
struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Store a value in the DHT on the nodes closest to its key."
    )

    @OptionGroup var keyOptions: KeyOptions

    @Argument(help: "The value (BitDust nodes accept only a JSON object with a \"type\" field).")
    var value: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Lifetime in seconds; nodes clamp it to 120-43200.", valueName: "seconds"))
    var expire: Int64 = 43_200

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        guard expire >= 0 else { throw ValidationError("--expire must not be negative") }
    }

    func run() async throws {
        let seeds = try EphemeralSession.seeds(common.seedOptions)
        let session = try EphemeralSession(seeds: seeds, layer: common.layer, timeout: common.timeout)
        defer { session.close() }
        try await session.joinOrFail()
        let key = keyOptions.keyHash
        let result = await session.perform(.store(key: key, value: .string(value), expireSeconds: expire, layer: common.layer))
        var json = JSONObject()
        json.add("key", keyOptions.key)
        json.add("key_hash", key.hex)
        json.add("layer", common.layer)
        guard case .stored(let summary)? = result else {
            let reason: String
            if case .failed(let f)? = result { reason = f.message } else { reason = "timed out after \(common.timeout) s" }
            if common.json {
                json.add("ok", false)
                json.add("error", reason)
                Output.line(json.text)
            }
            Output.fail(reason)
            throw ExitCode(DHTop.failureStatus)
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
