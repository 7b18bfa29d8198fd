import ConsoleModel
import DHTCore
import DHTRuntime
import DHTWire
import Dispatch

/// Runs the console's network commands on a `DHTNode`, on layer 0: the server-side backend of
/// the control socket.
///
/// Stand-in until NodeConsole's `NodeConsoleBackend` is merged (pass it to `ControlServer`).
/// Thread-safe: `run` returns at once; the node does the work on its queue and `completion`
/// arrives on it; `find` reports each lookup round as progress from a private queue. Reads no
/// clock. `delete` is refused (the engine has no local delete yet).
public struct NodeCommandBackend: ConsoleBackend {
    public let node: DHTNode
    public let layer: Int

    public init(node: DHTNode, layer: Int = 0) {
        self.node = node
        self.layer = layer
    }

    /// A key typed at the prompt: 40 hex digits as is, anything else hashed as BitDust does.
    public static func keyHash(_ text: String) -> NodeID {
        NodeID(hex: text) ?? DHTKey.hash(text)
    }

    public func run(_ command: ConsoleCommand, progress: @escaping @Sendable (String) -> Void,
                    completion: @escaping @Sendable (CommandOutcome) -> Void) {
        let layer = self.layer
        switch command {
        case .get(let key):
            perform(.findValue(key: Self.keyHash(key), layer: layer, collectAll: false), target: nil, progress, completion)
        case .set(let key, let value, let expire):
            let seconds = expire ?? node.options.engine.defaultExpireSeconds
            perform(.store(key: Self.keyHash(key), value: .string(value), expireSeconds: seconds, layer: layer), target: nil, progress, completion)
        case .delete:
            completion(.failure("delete: not available over the control socket"))
        case .getRecord, .setRecord:
            completion(.failure("records: not available over the control socket yet"))
        case .ping(let endpoint):
            perform(.ping(endpoint, layer: layer), target: nil, progress, completion)
        case .find(let target):
            let id: NodeID
            switch target {
            case .id(let nodeID): id = nodeID
            case .key(let text): id = DHTKey.hash(text)
            }
            perform(.findNode(id, layer: layer), target: id, progress, completion)
        case .join(let seed):
            perform(.join(seeds: [seed], layer: layer, attach: node.options.attach), target: nil, progress, completion)
        case .layer, .filter, .theme, .help, .quit:
            completion(.failure("not a node command"))
        }
    }

    /// Starts `operation`; for a findNode of `target`, reports its lookup rounds as progress.
    private func perform(_ operation: Operation, target: NodeID?, _ progress: @escaping @Sendable (String) -> Void,
                         _ completion: @escaping @Sendable (CommandOutcome) -> Void) {
        var watch: EventHub.Subscription?
        if let target {
            let layer = self.layer
            watch = node.events.subscribe(queue: DispatchQueue(label: "dhtop.control.find"), limit: 1024) { events in
                for case .lookupProgressed(let s) in events where s.target == target && s.layer == layer && s.purpose == .findNode {
                    progress("round \(s.rounds): \(s.rpcsSent) RPCs, \(s.responders) answered, prefix \(s.closestCommonPrefix ?? 0) bits")
                }
            }
        }
        let finished = watch
        node.perform(operation) { result in
            finished?.cancel()
            completion(CommandOutcome(result))
        }
    }
}
