import ConsoleModel
import DHTCore
import DHTRuntime
import DHTWire

/// Runs the console's network commands (`get`, `set`, `get/set --record`, `ping`, `find`, `join`, `delete`) on a
/// running `DHTNode` and reports each as a `CommandOutcome` whose summary says what it cost.
///
/// Contract: `run` returns at once (the node does the work on its own queue); `completion` is
/// called exactly once and `progress` zero or more times, on the node's queue or on the
/// backend's private event queue. Reads only the node's injected clock (to stamp records). A
/// value type; thread-safe.
public struct NodeConsoleBackend: ConsoleBackend {
    public let node: DHTNode
    /// The layer every command works on.
    public var layer: Int

    public init(node: DHTNode, layer: Int = 0) {
        self.node = node
        self.layer = layer
    }

    /// The DHT key for a prompt KEY: 40 hex digits as they are, anything else hashed as BitDust does.
    public static func keyID(_ text: String) -> NodeID {
        NodeID(hex: text) ?? DHTKey.hash(text)
    }

    public func run(_ command: ConsoleCommand, progress: @escaping @Sendable (String) -> Void,
                    completion: @escaping @Sendable (CommandOutcome) -> Void) {
        switch command {
        case .get(let key):
            get(key, completion: completion)
        case .set(let key, let value, let expire):
            let seconds = expire ?? node.options.engine.defaultExpireSeconds
            node.perform(.store(key: Self.keyID(key), value: .string(value), expireSeconds: seconds, layer: layer)) { result in
                completion(Self.storeOutcome(result))
            }
        case .ping(let endpoint):
            node.perform(.ping(endpoint, layer: layer)) { completion(CommandOutcome($0)) }
        case .find(let target):
            let id: NodeID
            switch target {
            case .id(let nodeID): id = nodeID
            case .key(let text): id = Self.keyID(text)
            }
            find(id, progress: progress, completion: completion)
        case .join(let endpoint):
            node.perform(.join(seeds: [endpoint], layer: layer, attach: node.options.attach)) { completion(CommandOutcome($0)) }
        case .getRecord(let type, let parts):
            getRecord(type, parts: parts, completion: completion)
        case .setRecord(let type, let parts, let assignments):
            setRecord(type, parts: parts, assignments: assignments, progress: progress, completion: completion)
        case .delete(let key):
            let id = Self.keyID(key)
            node.deleteLocal(key: id, layer: layer) { held in
                completion(held
                    ? CommandOutcome(succeeded: true, summary: "deleted \(id.shortHex(12)) from this node; copies on other nodes stay until they expire")
                    : .failure("\(id.shortHex(12)) is not stored on this node"))
            }
        case .layer, .filter, .theme, .help, .quit:
            completion(.failure("not a network command"))
        }
    }

    /// findValue over the network; when the network has no copy but this node holds one, shows it.
    private func get(_ key: String, completion: @escaping @Sendable (CommandOutcome) -> Void) {
        let id = Self.keyID(key)
        let node = self.node, layer = self.layer
        node.perform(.findValue(key: id, layer: layer, collectAll: false)) { result in
            let outcome = CommandOutcome(result)
            guard !outcome.succeeded else { return completion(outcome) }
            // Called on the node's queue: read the local copy without `withEngine` (which would deadlock).
            DispatchHelper.background {
                guard let local = node.withEngine({ $0.record(layer: layer, key: id.hexUTF8) }) else {
                    return completion(outcome)
                }
                var detail = RecordRendering.lines(for: local.value)
                detail.append("(local copy held by this node)")
                completion(CommandOutcome(succeeded: true, summary: "found here; network: \(outcome.summary)", detail: detail))
            }
        }
    }

    /// `stored on 3/4 nodes …` with one detail line per node: OK, refused with the reason, or timeout.
    static func storeOutcome(_ result: OperationResult) -> CommandOutcome {
        guard case .stored(let summary) = result else { return CommandOutcome(result) }
        var outcome = CommandOutcome(result)
        outcome.detail = summary.replies.map { reply in
            let who = "\(reply.peer.id.shortHex(8)) \(reply.peer.endpoint)"
            switch reply.outcome {
            case .ok: return "OK       \(who)"
            case .refused(let type, let message): return "refused  \(who): \(type): \(message)"
            case .timeout: return "timeout  \(who)"
            case .unexpected(let answer): return "unexpected \(who): \(answer)"
            }
        }
        if summary.storedLocally { outcome.detail.append("OK       here (this node is among the closest)") }
        if let refusal = summary.replies.lazy.compactMap(Self.refusalText).first, summary.okCount == 0 {
            outcome.summary += "; refused: \(refusal)"
        }
        return outcome
    }

    private static func refusalText(_ reply: StoreReply) -> String? {
        if case .refused(_, let message) = reply.outcome { return message }
        return nil
    }
}
