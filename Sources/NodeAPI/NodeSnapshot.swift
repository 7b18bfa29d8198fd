import DHTCore
import DHTWire

/// A full picture of the node that the executable feeds the console periodically (about once a
/// second); events in between keep the panes current.
///
/// Contract: a value type built on the node's queue and handed to the console's inbox from any
/// thread; the console never reads the node directly. Not `Codable`: the control socket
/// carries it as `Wire.Snapshot` (DHTControl), whose names are the protocol's.
public struct NodeSnapshot: Sendable {
    /// One DHT layer as the console shows it.
    public struct Layer: Sendable {
        public var layer: Int
        public var nodeID: NodeID
        public var state: LayerState
        public var buckets: [KBucket]
        public var records: [StoredRecord]
        /// How the layer stands with the network (nil: never joined, or an older node).
        public var joinState: JoinState?
        /// The network size its lookups suggest (nil until a few converged).
        public var sizeEstimate: NetworkSizeEstimate?
        public init(
            layer: Int, nodeID: NodeID, state: LayerState, buckets: [KBucket], records: [StoredRecord],
            joinState: JoinState? = nil, sizeEstimate: NetworkSizeEstimate? = nil
        ) {
            self.joinState = joinState
            self.sizeEstimate = sizeEstimate
            self.layer = layer
            self.nodeID = nodeID
            self.state = state
            self.buckets = buckets
            self.records = records
        }
    }

    /// When the snapshot was taken (the node's clock).
    public var takenAt: Timestamp
    public var layers: [Layer]
    public var counters: Counters
    /// Our RPCs waiting for an answer.
    public var pending: [RPCInfo]
    /// Lookups still running.
    public var lookups: [LookupSummary]
    /// The UDP address we listen on, as text (`0.0.0.0:14441`).
    public var addressText: String
    public var dataDirectory: String
    public var startedAt: Timestamp
    /// The bucket size.
    public var k: Int

    public init(
        takenAt: Timestamp, layers: [Layer], counters: Counters, pending: [RPCInfo], lookups: [LookupSummary],
        addressText: String, dataDirectory: String, startedAt: Timestamp, k: Int
    ) {
        self.takenAt = takenAt
        self.layers = layers
        self.counters = counters
        self.pending = pending
        self.lookups = lookups
        self.addressText = addressText
        self.dataDirectory = dataDirectory
        self.startedAt = startedAt
        self.k = k
    }
}
