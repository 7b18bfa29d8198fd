/// Traffic counters under the names of BitDust's `network_status(dht=1)`.
/// A value type, owned by the engine; read through snapshots.
public struct Counters: Sendable, Hashable {
    /// Per-layer counters.
    public struct Layer: Sendable, Hashable {
        public var packetsReceived: Int = 0
        public var packetsSent: Int = 0
        /// Calls served, by method (`rpc_calls`): the known methods of `MethodName` and `other`,
        /// so at most eight names whatever peers send.
        public var calls = MethodCounts()
        /// Answers to our calls by method, plus `timeout` (`rpc_responses`): named by the methods
        /// we call, never by anything a peer sends.
        public var responses = MethodCounts()
        /// `calls` as a map (names with a count only).
        public var rpcCalls: [String: Int] {
            get { calls.dictionary }
            set { calls = MethodCounts(newValue) }
        }
        /// `responses` as a map (names with a count only).
        public var rpcResponses: [String: Int] {
            get { responses.dictionary }
            set { responses = MethodCounts(newValue) }
        }
        public init() {}
    }
    public var bytesReceived: Int = 0
    public var bytesSent: Int = 0
    public var datagramsReceived: Int = 0
    public var datagramsSent: Int = 0
    /// Keyed by layers created on this node only (a message for another layer is dropped first).
    public var layers: [Int: Layer] {
        get {
            var out = otherLayers
            if let id = firstLayerID { out[id] = firstLayer }
            return out
        }
        set {
            var rest = newValue
            firstLayerID = newValue.keys.min()
            firstLayer = firstLayerID.flatMap { rest.removeValue(forKey: $0) } ?? Layer()
            otherLayers = rest
        }
    }
    /// The first layer counted, held inline (a node usually has one layer, and its counters
    /// change on every datagram), and the others.
    private var firstLayerID: Int?
    private var firstLayer = Layer()
    private var otherLayers: [Int: Layer] = [:]
    /// Datagrams dropped, by `DropReason.counterName` (a fixed set of names) plus
    /// `oversized_reply`.
    public var dropped: [String: Int] = [:]
    /// Unsolicited requests received (proof that we are reachable).
    public var unsolicitedRequests: Int = 0
    public init() {}

    // Equal by what they count, however the layers are held.
    public static func == (a: Counters, b: Counters) -> Bool {
        a.bytesReceived == b.bytesReceived && a.bytesSent == b.bytesSent && a.datagramsReceived == b.datagramsReceived
            && a.datagramsSent == b.datagramsSent && a.layers == b.layers && a.dropped == b.dropped
            && a.unsolicitedRequests == b.unsolicitedRequests
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytesReceived)
        hasher.combine(datagramsReceived)
        hasher.combine(layers)
        hasher.combine(dropped)
    }

    mutating func layer(_ id: Int, _ body: (inout Layer) -> Void) {
        if id == firstLayerID {
            body(&firstLayer)
        } else if firstLayerID == nil {
            firstLayerID = id
            body(&firstLayer)
        } else {
            body(&otherLayers[id, default: Layer()])
        }
    }
}
