import DHTCore
import DHTWire

/// What the header shows that is not derived from the other panes: identity, address, uptime,
/// RPC rates, timeout share and reachability. A value type owned by `ConsoleState`.
public struct HeaderModel: Sendable {
    /// Our id and state per layer.
    public var layers: [Int: (id: NodeID, state: LayerState)] = [:]
    /// How each layer stands with the network (alone, joining, genesis, joined), when known.
    public var joinStates: [Int: JoinState] = [:]
    /// The network size per layer, from the node's lookups, when it has enough of them.
    public var sizeEstimates: [Int: NetworkSizeEstimate] = [:]
    public var addressText = "-"
    public var dataDirectory = "-"
    public var startedAt: Timestamp?
    /// Calls we sent, per second.
    public var rpcOut = RateHistory()
    /// Calls peers made to us, per second.
    public var rpcIn = RateHistory()
    /// Answers and timeouts of our calls, per second (for the timeout share).
    public var answered = RateHistory()
    public var timedOut = RateHistory()
    /// How many requests peers made to us on their own (proof we are reachable from outside).
    public var unsolicitedRequests = 0
    /// Totals from the latest snapshot's counters.
    public var bytesIn = 0
    public var bytesOut = 0
    public var droppedDatagrams = 0
    /// Of those, dropped by the per-source rate limit.
    public var rateLimited = 0

    public init() {}

    /// Whether any peer has called us unprompted.
    public var reachable: Bool { unsolicitedRequests > 0 }

    /// Timeouts as a share of finished calls over the last minute, or nil with none.
    public func timeoutShare(window: Int = 60) -> Double? {
        let t = timedOut.total(window: window), a = answered.total(window: window)
        return t + a == 0 ? nil : Double(t) / Double(t + a)
    }

    /// Moves every rate history to `now`.
    public mutating func advance(to now: Timestamp) {
        rpcOut.advance(to: now)
        rpcIn.advance(to: now)
        answered.advance(to: now)
        timedOut.advance(to: now)
    }

    /// Takes identity, address and totals from a snapshot.
    public mutating func absorb(_ s: NodeSnapshot) {
        for l in s.layers {
            layers[l.layer] = (l.nodeID, l.state)
            if let join = l.joinState { joinStates[l.layer] = join }
            sizeEstimates[l.layer] = l.sizeEstimate
        }
        addressText = Sanitizer.clean(s.addressText)
        dataDirectory = Sanitizer.clean(s.dataDirectory)
        startedAt = s.startedAt
        unsolicitedRequests = max(unsolicitedRequests, s.counters.unsolicitedRequests)
        bytesIn = s.counters.bytesReceived
        bytesOut = s.counters.bytesSent
        droppedDatagrams = s.counters.dropped.values.reduce(0, +)
        rateLimited = s.counters.dropped["rate_limited"] ?? 0
    }
}
