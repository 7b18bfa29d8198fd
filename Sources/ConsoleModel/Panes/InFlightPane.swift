import DHTCore
import DHTWire

/// The In-flight pane: our pending RPCs, running lookups, and the latest finished ones with
/// their result and latency. A value type owned by `ConsoleState`.
public struct InFlightPane: Sendable {
    /// A finished RPC or lookup as the pane lists it.
    public struct Finished: Sendable, Hashable {
        public enum Kind: Sendable, Hashable { case rpc, lookup }
        public enum Result: Sendable, Hashable {
            case ok
            case remoteError(String)
            case timeout
            case lookup(LookupTermination?)
        }
        public var kind: Kind
        /// `findNode`, or the lookup's purpose.
        public var label: String
        /// The peer's address, or the lookup's target prefix.
        public var subject: String
        public var layer: Int
        public var result: Result
        public var latency: Duration
        public var finishedAt: Timestamp
        /// Lookup statistics (rounds, RPCs, answered, timeouts), when a lookup.
        public var lookup: LookupSummary?
    }

    /// Pending RPCs by their RPC id.
    public var pending: [NodeID: RPCInfo] = [:]
    /// Running lookups by id.
    public var lookups: [LookupID: LookupSummary] = [:]
    /// The latest finished items, oldest first.
    public var finished = RingBuffer<Finished>(capacity: 200)
    /// Selected row (over pending, lookups, finished in that order).
    public var selection = 0

    public init() {}

    /// Pending RPCs, oldest first.
    public var pendingSorted: [RPCInfo] {
        pending.values.sorted { ($0.sentAt, $0.rpcID) < ($1.sentAt, $1.rpcID) }
    }

    /// Running lookups, oldest first.
    public var lookupsSorted: [LookupSummary] {
        lookups.values.sorted { $0.id.value < $1.id.value }
    }

    // MARK: Folding

    public mutating func sent(_ rpc: RPCInfo) { pending[rpc.rpcID] = rpc }

    public mutating func answered(_ rpc: RPCInfo, latency: Duration, error: String?, at now: Timestamp) {
        pending[rpc.rpcID] = nil
        finished.append(
            Finished(
                kind: .rpc, label: Sanitizer.clean(rpc.method), subject: rpc.peer.description,
                layer: rpc.layer, result: error.map { .remoteError(Sanitizer.clean($0)) } ?? .ok,
                latency: latency, finishedAt: now, lookup: nil))
    }

    public mutating func timedOut(_ rpc: RPCInfo, at now: Timestamp) {
        pending[rpc.rpcID] = nil
        finished.append(
            Finished(
                kind: .rpc, label: Sanitizer.clean(rpc.method), subject: rpc.peer.description,
                layer: rpc.layer, result: .timeout, latency: now - rpc.sentAt, finishedAt: now,
                lookup: nil))
    }

    public mutating func lookupUpdated(_ s: LookupSummary) { lookups[s.id] = s }

    public mutating func lookupFinished(_ s: LookupSummary, at now: Timestamp) {
        lookups[s.id] = nil
        finished.append(
            Finished(
                kind: .lookup, label: s.purpose.rawValue, subject: s.target.shortHex(12),
                layer: s.layer, result: .lookup(s.termination), latency: s.elapsed,
                finishedAt: now, lookup: s))
    }

    /// Replaces pending RPCs and running lookups with a snapshot's (events may have been lost).
    public mutating func absorb(pending: [RPCInfo], lookups: [LookupSummary]) {
        self.pending = Dictionary(pending.map { ($0.rpcID, $0) }, uniquingKeysWith: { $1 })
        self.lookups = Dictionary(lookups.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
    }

    /// Total rows for selection.
    public var rowCount: Int { pending.count + lookups.count + finished.count }
}

extension InFlightPane.Finished.Result {
    /// `ok`, `timeout`, `error: …`, `converged`…
    public var text: String {
        switch self {
        case .ok: return "ok"
        case .timeout: return "timeout"
        case .remoteError(let e): return "error: " + e
        case .lookup(let t): return t?.rawValue ?? "stopped"
        }
    }

    /// Whether it counts as a success for coloring.
    public var isSuccess: Bool {
        switch self {
        case .ok: return true
        case .timeout, .remoteError: return false
        case .lookup(let t): return t == .converged || t == .valueFound
        }
    }
}
