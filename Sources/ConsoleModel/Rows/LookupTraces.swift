import DHTCore
import DHTWire

/// Every lookup's queries round by round — who was asked, who answered, how close each is to
/// the target, how long it took — folded from the lookup and RPC events (`lookup_*`, and
/// `rpc_*` carrying the lookup's id), the same stream in the embedded and the attached console.
///
/// A query's round is the lookup's round when it was sent: the engine reports a lookup's new
/// round right after the calls that open it, so a query waits for the next lookup event to get
/// its round. Contract: a value type owned by `ConsoleState` (UI thread); reads no clock.
/// Bounded: `capacity` lookups (finished ones forgotten first, oldest first), `queriesPerLookup`
/// queries each.
public struct LookupTraces: Sendable {
    /// One query of a lookup.
    public struct Query: Sendable, Hashable {
        public enum State: Sendable, Hashable {
            case waiting
            case answered(Duration)
            case remoteError(String)
            case timeout
        }
        public var rpcID: NodeID
        public var peer: Endpoint
        /// nil for a seed asked before its id was known.
        public var peerID: NodeID?
        /// The lookup's round when sent (nil until the lookup's next event).
        public var round: Int?
        public var sentAt: Timestamp
        /// 2 once re-sent.
        public var attempt: Int
        public var state: State
    }

    /// One lookup: its latest summary and its queries in the order sent.
    public struct Trace: Sendable, Hashable {
        public var summary: LookupSummary
        public var queries: [Query] = []
        /// Queries not kept because the trace was full.
        public var queriesDropped = 0
        public var finished = false

        /// The rounds with their queries, in order (queries without a round yet come last, as round nil).
        public var rounds: [(round: Int?, queries: [Query])] {
            var order: [Int?] = []
            var byRound: [Int?: [Query]] = [:]
            for q in queries {
                if byRound[q.round] == nil { order.append(q.round) }
                byRound[q.round, default: []].append(q)
            }
            return order.sorted { ($0 ?? Int.max) < ($1 ?? Int.max) }.map { ($0, byRound[$0] ?? []) }
        }
    }

    /// Lookups kept at most (docs/limits.md, "Console").
    public static let capacity = 64
    /// Queries kept per lookup.
    public static let queriesPerLookup = 256

    public private(set) var traces: [LookupID: Trace] = [:]

    public init() {}

    public func trace(_ id: LookupID) -> Trace? { traces[id] }

    /// Folds a lookup or RPC event; other events are ignored.
    public mutating func fold(_ event: NodeEvent) {
        switch event {
        case .lookupStarted(let s), .lookupProgressed(let s):
            update(s, finished: false)
        case .lookupFinished(let s):
            update(s, finished: true)
        case .rpcSent(let r):
            // Changed in place (`traces[l]?…`): a copy of the trace would copy its queries.
            guard let l = r.lookup, let count = traces[l]?.queries.count else { return }
            if r.attempt > 1, let i = traces[l]?.queries.firstIndex(where: { $0.rpcID == r.rpcID }) {
                traces[l]?.queries[i].attempt = r.attempt
            } else if count < Self.queriesPerLookup {
                traces[l]?.queries.append(
                    Query(
                        rpcID: r.rpcID, peer: r.peer, peerID: r.peerID, round: nil, sentAt: r.sentAt,
                        attempt: r.attempt, state: .waiting))
            } else {
                traces[l]?.queriesDropped += 1
            }
        case .rpcAnswered(let r, let latency, let error):
            settle(r, error.map { .remoteError(Sanitizer.clean($0)) } ?? .answered(latency))
        case .rpcTimedOut(let r):
            settle(r, .timeout)
        default:
            return
        }
    }

    mutating func settle(_ r: RPCInfo, _ state: Query.State) {
        guard let l = r.lookup, let i = traces[l]?.queries.lastIndex(where: { $0.rpcID == r.rpcID }) else { return }
        traces[l]?.queries[i].state = state
        // A seed's id is learnt from its answer's RPC info when the node knew it by then.
        if traces[l]?.queries[i].peerID == nil { traces[l]?.queries[i].peerID = r.peerID }
    }

    mutating func update(_ s: LookupSummary, finished: Bool) {
        if traces[s.id] == nil {
            if traces.count >= Self.capacity { evictOne() }
            traces[s.id] = Trace(summary: s)
        }
        traces[s.id]?.summary = s
        if finished { traces[s.id]?.finished = true }
        // Queries without a round are the latest ones, at the end.
        let round = max(1, s.rounds)
        guard let n = traces[s.id]?.queries.count else { return }
        var i = n - 1
        while i >= 0, traces[s.id]?.queries[i].round == nil {
            traces[s.id]?.queries[i].round = round
            i -= 1
        }
    }

    mutating func evictOne() {
        let finished = traces.filter { $0.value.finished }.keys
        let victim = finished.min { $0.value < $1.value } ?? traces.keys.min { $0.value < $1.value }
        if let victim { traces[victim] = nil }
    }
}
