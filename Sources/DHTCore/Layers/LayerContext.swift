import DHTWire

/// Everything the engine keeps for one DHT layer: its node id, state, routing table, records and
/// the "node data" that the `request` RPC serves. Owned by `DHTEngine`; not thread-safe.
/// A class so that changing one record or contact mutates in place instead of copying the
/// layer's whole record dictionary.
final class LayerContext {
    let layer: Int
    let nodeID: NodeID
    var state: LayerState
    var routing: RoutingTable
    /// Records by their exact wire key, with the byte totals of the storage quota.
    var records = RecordTable()
    /// Values this node published with a store operation, by wire key: republished before they
    /// expire even when this node is not among the k closest and so holds no copy.
    var published: [[UInt8]: StoredRecord] = [:]
    /// What `request(name)` answers on this layer (docs/protocol.md §8.6).
    var nodeData: [String: BValue] = [:]
    /// True when joined through at least one seed (a genesis node expires nothing in Python; we
    /// expire anyway, see `DHTEngine+Maintenance`).
    var hasSeeds = false

    init(layer: Int, nodeID: NodeID, state: LayerState, configuration: EngineConfiguration, now: Timestamp) {
        self.layer = layer
        self.nodeID = nodeID
        self.state = state
        self.routing = RoutingTable(ownID: nodeID, configuration: configuration, now: now)
    }

    /// findNode / findValue / store are served only once the layer is joined (docs/protocol.md §7).
    var isActive: Bool { state != .created }

    /// Whether the join under way ends attached.
    var attachOnJoin = false

    /// First contact (`DHTEngine+Join`): the join state (nil before the first join), the
    /// addresses the last join operation named (retried with the host's seeds), the join lookup
    /// running, and the failed attempts since the layer was last joined (for the backoff).
    var join: JoinState?
    var joinSeeds: [Endpoint] = []
    var joinLookup: LookupID?
    var failedAttempts = 0
    /// No seed at all was given: a network of its own.
    var genesis = false
    /// Network-size samples from this layer's converged lookups.
    var sizeEstimator = NetworkSizeEstimator()
    /// The contacts and the value of the nodeState record built last (`saveNodeState`).
    var nodeStateBasis: [ContactTriple] = []
    var nodeStateValue: BValue?

    /// Our outgoing calls are QUESTIONs unless the layer is attached, or being joined to attach
    /// (docs/protocol.md §7).
    var sendsQuestions: Bool { !(state == .attached || (state == .joining && attachOnJoin)) }
}
