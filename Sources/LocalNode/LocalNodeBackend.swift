import BitDustRecords
import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import NodeAPI

/// Runs `NodeCommand`s on a `DHTNode` in this process: the console's embedded node, the node
/// behind the control socket, and the throwaway node of a one-shot CLI command all go through it,
/// so a command means the same and reads the same everywhere. Each outcome says what it cost.
///
/// Contract: `run` returns at once (the node does the work on its own queue); `completion` is
/// called exactly once and `progress` zero or more times, on the node's queue or on the
/// backend's private event queue. Reads only the node's injected clock (to stamp records). A
/// value type; thread-safe.
public struct LocalNodeBackend: NodeBackend {
    public let node: DHTNode

    public init(node: DHTNode) {
        self.node = node
    }

    public func run(
        _ command: NodeCommand, layer: Int, progress: @escaping @Sendable (String) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let context = command.contextFields(layer: layer)
        switch command {
        case .get(let key):
            get(key.id, layer: layer, context: context, completion: completion)
        case .set(let key, let value, let expire):
            let seconds = expire ?? node.options.engine.defaultExpireSeconds
            let clamp = ExpireClamp(requested: seconds, configuration: node.options.engine)
            node.perform(.store(key: key.id, value: .string(value), expireSeconds: seconds, layer: layer)) { result in
                var outcome = CommandOutcome(result, context: context)
                clamp.annotate(&outcome)
                completion(outcome)
            }
        case .ping(let endpoint):
            node.perform(.ping(endpoint, layer: layer)) { completion(CommandOutcome($0, context: context)) }
        case .find(let target):
            find(target.id, layer: layer, context: context, progress: progress, completion: completion)
        case .join(let endpoint):
            node.perform(.join(seeds: [endpoint], layer: layer, attach: node.options.attach)) {
                completion(CommandOutcome($0, context: context))
            }
        case .getRecord(let type, let parts):
            getRecord(type, parts: parts, layer: layer, context: context, completion: completion)
        case .setRecord(let type, let parts, let assignments, let options):
            setRecord(
                type, parts: parts, assignments: assignments, options: options, layer: layer, context: context,
                progress: progress, completion: completion)
        case .latency:
            let node = self.node
            DispatchHelper.background { completion(CommandOutcome(latency: node.withEngine { $0.rpcLatency }, context: context)) }
        case .discover, .crawl, .watch:
            runStreaming(command, layer: layer, partial: { progress($0.summary) }, completion: completion)
        case .forget(let id):
            node.forgetContact(id, layer: layer) { known in
                completion(
                    known
                        ? CommandOutcome(
                            succeeded: true,
                            summary: "forgot contact \(id.shortHex(12)) on layer \(layer); it comes back if it talks to us again",
                            fields: context)
                        : .failure("no contact \(id.shortHex(12)) in the routing table of layer \(layer)", fields: context))
            }
        case .delete(let key):
            let id = key.id
            node.deleteLocal(key: id, layer: layer) { held in
                completion(
                    held
                        ? CommandOutcome(
                            succeeded: true, summary: "deleted \(id.shortHex(12)) from this node; copies on other nodes stay until they expire",
                            fields: context)
                        : .failure("\(id.shortHex(12)) is not stored on this node", fields: context))
            }
        }
    }

    /// findValue over the network; when the network has no copy but this node holds one, shows it.
    /// A findValue; when it finds nothing, one more lookup before "not found" (the outcome's
    /// `lookups` field says 2). Under loss a lookup can miss every holder although its queries
    /// were re-sent; and every contact the responders offered for the key may be gone (one-shot
    /// clients that came and went, departed hosts: peers keep them until one of their RPCs
    /// fails), which a second lookup from the same contacts would meet again. So the second one
    /// starts after `learnFarContacts` has met other parts of the network (`findValueTwice`).
    private func get(_ id: NodeID, layer: Int, context: JSONFields, completion: @escaping @Sendable (CommandOutcome) -> Void) {
        let node = self.node
        findValueTwice(.findValue(key: id, layer: layer, collectAll: false), key: id, layer: layer) { result, lookups in
            var first = CommandOutcome(result, context: context)
            first.fields["lookups"] = .int(lookups)
            let outcome = first
            guard !outcome.succeeded else { return completion(outcome) }
            // Called on the node's queue: read the local copy without `withEngine` (which would deadlock).
            DispatchHelper.background {
                guard let local = node.withEngine({ $0.record(layer: layer, key: id.hexUTF8) }) else {
                    return completion(outcome)
                }
                var held = CommandOutcome(
                    succeeded: true, summary: "found here; network: \(outcome.summary)",
                    detail: RecordRendering.lines(for: local.value) + ["(local copy held by this node)"],
                    fields: outcome.fields)
                held.fields["found"] = .bool(true)
                held.fields["value"] = RecordRendering.jsonValue(local.value)
                held.fields["expire_seconds"] = .int(local.expireSeconds)
                held.fields["from"] = .string("here")
                completion(held)
            }
        }
    }
}
