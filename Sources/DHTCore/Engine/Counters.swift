/// Traffic counters under the names of BitDust's `network_status(dht=1)`.
/// A value type, owned by the engine; read through snapshots.
public struct Counters: Sendable, Hashable, Codable {
    /// Per-layer counters.
    public struct Layer: Sendable, Hashable, Codable {
        public var packetsReceived: Int = 0
        public var packetsSent: Int = 0
        /// Calls served, by method (`rpc_calls`).
        public var rpcCalls: [String: Int] = [:]
        /// Answers to our calls by method, plus `timeout` (`rpc_responses`).
        public var rpcResponses: [String: Int] = [:]
        public init() {}
    }
    public var bytesReceived: Int = 0
    public var bytesSent: Int = 0
    public var datagramsReceived: Int = 0
    public var datagramsSent: Int = 0
    public var layers: [Int: Layer] = [:]
    /// Datagrams dropped, by `DropReason.counterName`.
    public var dropped: [String: Int] = [:]
    /// Unsolicited requests received (proof that we are reachable).
    public var unsolicitedRequests: Int = 0
    public init() {}

    mutating func layer(_ id: Int, _ body: (inout Layer) -> Void) {
        body(&layers[id, default: Layer()])
    }
}
