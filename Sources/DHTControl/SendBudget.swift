import Synchronization

/// One memory budget for the unsent bytes of every control client together.
///
/// Contract: thread-safe (one mutex). A client is charged when a line enters its queue and
/// released when the line is written. A charge that would take the client over
/// `perClient` is refused (the caller disconnects it as too slow); one that would take the
/// total over `total` first evicts the clients with the most unsent bytes (their eviction
/// handlers run after the lock is released, their charges are dropped at once), so the
/// accounted total never exceeds `total`. Reads no clock.
final class SendBudget: Sendable {
    enum Charge: Equatable {
        case accepted
        /// The client would hold more than its share.
        case overClientLimit(pending: Int)
        /// The client itself holds the most and the total is full.
        case overTotal
        /// The client was evicted earlier or never registered.
        case gone
    }

    private struct Entry {
        var bytes = 0
        var evicted = false
        var onEvict: @Sendable (String) -> Void
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var total = 0
        var peak = 0
    }

    let total: Int
    let perClient: Int
    private let state = Mutex(State())

    init(total: Int, perClient: Int) {
        self.total = max(1, total)
        self.perClient = max(1, min(perClient, total))
    }

    /// Bytes charged now, all clients together.
    var charged: Int { state.withLock { $0.total } }
    /// The most ever charged at once.
    var peak: Int { state.withLock { $0.peak } }

    func register(_ id: Int, onEvict: @escaping @Sendable (String) -> Void) {
        state.withLock { $0.entries[id] = Entry(onEvict: onEvict) }
    }

    /// Forgets the client and everything it was charged.
    func unregister(_ id: Int) {
        state.withLock { s in
            guard let e = s.entries.removeValue(forKey: id) else { return }
            if !e.evicted { s.total -= e.bytes }
        }
    }

    func charge(_ id: Int, _ bytes: Int) -> Charge {
        var victims: [(Entry, Int)] = []
        let result = state.withLock { s -> Charge in
            guard let e = s.entries[id], !e.evicted else { return .gone }
            if e.bytes > perClient - bytes { return .overClientLimit(pending: e.bytes) }
            while s.total > total - bytes {
                // The most bytes first; on a tie, someone other than the charging client.
                guard
                    let (vid, v) = s.entries.filter({ !$0.value.evicted }).max(by: {
                        ($0.value.bytes, $0.key != id ? 1 : 0) < ($1.value.bytes, $1.key != id ? 1 : 0)
                    }),
                    vid != id, v.bytes > 0
                else { return .overTotal }
                s.total -= v.bytes
                s.entries[vid]?.bytes = 0
                s.entries[vid]?.evicted = true
                victims.append((v, v.bytes))
            }
            s.entries[id]?.bytes += bytes
            s.total += bytes
            s.peak = max(s.peak, s.total)
            return .accepted
        }
        for (v, bytes) in victims {
            v.onEvict("too slow: \(bytes) bytes unread when the control clients' \(total)-byte send budget filled up")
        }
        return result
    }

    func release(_ id: Int, _ bytes: Int) {
        guard bytes > 0 else { return }
        state.withLock { s in
            guard let e = s.entries[id], !e.evicted else { return }
            let n = min(bytes, e.bytes)
            s.entries[id]?.bytes -= n
            s.total -= n
        }
    }
}
