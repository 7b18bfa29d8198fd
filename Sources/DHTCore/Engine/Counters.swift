/// Traffic counters under the names of BitDust's `network_status(dht=1)`.
/// A value type, owned by the engine; read through snapshots.
public struct Counters: Sendable, Hashable {
    /// Per-layer counters.
    public struct Layer: Sendable, Hashable {
        public var packetsReceived: Int = 0
        public var packetsSent: Int = 0
        /// Calls served, by method (`rpc_calls`): the known methods of `MethodName` and `other`,
        /// so at most eight keys whatever peers send.
        public var rpcCalls: [String: Int] = [:]
        /// Answers to our calls by method, plus `timeout` (`rpc_responses`): keyed by the methods
        /// we call, never by anything a peer sends.
        public var rpcResponses: [String: Int] = [:]
        public init() {}
    }
    public var bytesReceived: Int = 0
    public var bytesSent: Int = 0
    public var datagramsReceived: Int = 0
    public var datagramsSent: Int = 0
    /// Keyed by layers created on this node only (a message for another layer is dropped first).
    public var layers: [Int: Layer] = [:]
    /// Datagrams dropped, by `DropReason.counterName` (a fixed set of names) plus
    /// `oversized_reply`.
    public var dropped: [String: Int] = [:]
    /// Unsolicited requests received (proof that we are reachable).
    public var unsolicitedRequests: Int = 0
    public init() {}

    mutating func layer(_ id: Int, _ body: (inout Layer) -> Void) {
        body(&layers[id, default: Layer()])
    }
}
