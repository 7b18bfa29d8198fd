import ConsoleModel
import DHTCore
import DHTRuntime
import DHTWire

/// Builds the console's `NodeSnapshot` of a running `DHTNode`.
///
/// Stand-in until NodeConsole's `NodeSnapshotBuilder` is merged (the control server takes any
/// `@Sendable () -> NodeSnapshot`). Thread-safe: `snapshot()` runs a short synchronous block on
/// the node's queue; reads the node's clock once.
public struct NodeSnapshotSource: Sendable {
    public let node: DHTNode

    public init(node: DHTNode) { self.node = node }

    public func snapshot() -> NodeSnapshot {
        let node = self.node
        let now = node.clock.now()
        return node.withEngine { engine in
            let layers = engine.layerIDs.compactMap { layer -> NodeSnapshot.Layer? in
                guard let id = engine.nodeID(layer: layer), let state = engine.state(layer: layer) else { return nil }
                return NodeSnapshot.Layer(layer: layer, nodeID: id, state: state,
                                          buckets: engine.routingTable(layer: layer)?.buckets ?? [],
                                          records: engine.records(layer: layer))
            }
            return NodeSnapshot(takenAt: now, layers: layers, counters: engine.counters, pending: engine.pendingRPCs,
                                lookups: engine.runningLookups, addressText: "\(node.options.host):\(node.port)",
                                dataDirectory: node.options.dataDirectory ?? "-", startedAt: engine.startedAt,
                                k: engine.configuration.k)
        }
    }
}
