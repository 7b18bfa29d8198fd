import DHTCore
import DHTRuntime
import DHTWire
import NodeAPI

/// Builds the console's `NodeSnapshot` from a running `DHTNode`.
///
/// Contract: `snapshot()` may be called from any thread except the node's own queue; it runs one
/// short `withEngine` block on the node's queue that copies the routing tables, records (values
/// are copy-on-write, so nothing is deep-copied), pending RPCs, running lookups and counters.
/// Reads the node's clock once per snapshot. A value type; thread-safe.
public struct NodeSnapshotBuilder: Sendable {
    public let node: DHTNode
    /// What the header shows as the data directory (`-` for an ephemeral node).
    public var dataDirectoryText: String

    public init(node: DHTNode, dataDirectoryText: String? = nil) {
        self.node = node
        self.dataDirectoryText = dataDirectoryText ?? node.options.dataDirectory ?? "-"
    }

    /// `HOST:PORT` the node listens on, with the bound port.
    public var addressText: String { "\(node.options.host):\(node.port)" }

    /// A full picture of the node now.
    public func snapshot() -> NodeSnapshot {
        let address = addressText
        let dataDirectory = dataDirectoryText
        let now = node.clock.now()
        return node.withEngine { engine in
            var layers: [NodeSnapshot.Layer] = []
            for layer in engine.layerIDs {
                guard let id = engine.nodeID(layer: layer), let state = engine.state(layer: layer) else { continue }
                layers.append(
                    NodeSnapshot.Layer(
                        layer: layer, nodeID: id, state: state,
                        buckets: engine.routingTable(layer: layer)?.buckets ?? [],
                        records: engine.records(layer: layer), joinState: engine.joinState(layer: layer),
                        sizeEstimate: engine.networkSizeEstimate(layer: layer)))
            }
            return NodeSnapshot(
                takenAt: now, layers: layers, counters: engine.counters, pending: engine.pendingRPCs,
                lookups: engine.runningLookups, addressText: address, dataDirectory: dataDirectory,
                startedAt: engine.startedAt, k: engine.configuration.k)
        }
    }
}
