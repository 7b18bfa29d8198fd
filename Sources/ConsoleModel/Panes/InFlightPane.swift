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
    /// Selected row (over pending, lookups, finished in that order, as `shown` lists them).
    public var selection = 0
    /// `/` over method or purpose, address or target, and result.
    public var filter = PaneFilter()

    /// The columns the rows sort by (each section on its own); `time`: pending and running
    /// oldest first, finished newest first.
    public enum Column: String, Sendable, Hashable, CaseIterable {
        case time, method, peer, result, latency
    }
    public var sort = TableSort<Column>(.time)

    /// One row of the pane.
    public enum Row: Sendable, Hashable {
        case rpc(RPCInfo)
        case lookup(LookupSummary)
        case finished(Finished)
    }

    public init() {}

    /// The rows after filter and sort: pending RPCs, running lookups, then finished ones.
    public func shown(now: Timestamp) -> (pending: [RPCInfo], lookups: [LookupSummary], finished: [Finished]) {
        let f = filter
        var p = pendingSorted
        var l = lookupsSorted
        var done = Array(finished.elements.reversed())
        if !f.isEmpty {
            p = p.filter { f.matches([$0.method, $0.peer.description, "rpc", "pending"]) }
            l = l.filter { f.matches([$0.purpose.rawValue, $0.target.hex, "lookup", "running"]) }
            done = done.filter { f.matches([$0.label, $0.subject, $0.result.text]) }
        }
        func order<T>(_ rows: [T], time: (T, T) -> Bool, key: (T) -> (String, String, String, Duration)) -> [T] {
            guard sort.column != .time || sort.reversed else { return rows }
            func natural(_ a: T, _ b: T) -> Bool {
                let (ka, kb) = (key(a), key(b))
                switch sort.column {
                case .time: return time(a, b)
                case .method: return ka.0 < kb.0
                case .peer: return ka.1 < kb.1
                case .result: return ka.2 < kb.2
                case .latency: return ka.3 > kb.3
                }
            }
            return rows.enumerated().sorted { x, y in
                if !natural(x.element, y.element) && !natural(y.element, x.element) { return x.offset < y.offset }
                return sort.before(x.element, y.element, natural: natural)
            }.map(\.element)
        }
        return (
            order(p, time: { $0.sentAt < $1.sentAt }, key: { ($0.method, $0.peer.description, "pending", now - $0.sentAt) }),
            order(l, time: { $0.id.value < $1.id.value }, key: { ($0.purpose.rawValue, $0.target.hex, "running", $0.elapsed) }),
            order(done, time: { $0.finishedAt > $1.finishedAt }, key: { ($0.label, $0.subject, $0.result.text, $0.latency) })
        )
    }

    /// The selected row, as `shown` lists them.
    public func selectedRow(now: Timestamp) -> Row? {
        let s = shown(now: now)
        var i = selection
        if i < s.pending.count { return .rpc(s.pending[i]) }
        i -= s.pending.count
        if i < s.lookups.count { return .lookup(s.lookups[i]) }
        i -= s.lookups.count
        return i < s.finished.count ? .finished(s.finished[i]) : nil
    }

    /// How many rows pass the filter.
    public func shownCount(now: Timestamp) -> Int {
        let s = shown(now: now)
        return s.pending.count + s.lookups.count + s.finished.count
    }

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
