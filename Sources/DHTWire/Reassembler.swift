/// Joins the fragments of framed messages (docs/protocol.md §3.2), keyed by (source, rpc id) so that two
/// peers using the same rpc id never mix. Bounded in time, buffered bytes and pending sets.
///
/// A value type with no locking: confine it to one task or queue. It never reads the clock;
/// every call takes the current time as a `Timestamp`.
public struct Reassembler<Source: Hashable & Sendable>: Sendable {
    private struct Key: Hashable, Sendable {
        var source: Source
        var rpcID: NodeID
    }

    private struct PendingSet: Sendable {
        var total: UInt16
        var started: Timestamp
        var bytes: Int = 0
        var fragments: [UInt16: [UInt8]] = [:]
    }

    public typealias Limits = ReassemblyLimits
    public typealias DropReason = ReassemblyDropReason
    public typealias Outcome = ReassemblyOutcome

    public var limits: Limits
    private var sets: [Key: PendingSet] = [:]
    /// Payload bytes currently buffered across all incomplete sets.
    public private(set) var bufferedBytes = 0
    /// How many sets (or lone fragments) were dropped, by reason.
    public private(set) var drops: [DropReason: Int] = [:]
    /// How many fragments repeated a `seq` already held and were ignored.
    public private(set) var duplicateFragments = 0

    public init(limits: Limits = .default) {
        self.limits = limits
    }

    /// The number of incomplete sets held.
    public var pendingSets: Int { sets.count }

    /// Feeds one fragment from `source`, received at `now`.
    public mutating func receive(
        _ header: FrameHeader, payload: ArraySlice<UInt8>, from source: Source,
        now: Timestamp
    ) -> Outcome {
        guard header.total > 0, header.seq < header.total else { return drop(.badHeader) }
        if header.total == 1 { return .complete(Array(payload)) }
        let key = Key(source: source, rpcID: header.rpcID)

        if let existing = sets[key] {
            if now - existing.started > limits.timeout {
                remove(key, as: .expired)
            } else if existing.total != header.total {
                remove(key, as: .totalMismatch)
                return .dropped(.totalMismatch)
            } else if existing.fragments[header.seq] != nil {
                duplicateFragments += 1
                return .pending
            }
        }
        if payload.count > limits.maxBufferedBytes - (sets[key]?.bytes ?? 0) {
            // Too large on its own: even an empty reassembler could not hold this set.
            if sets[key] != nil { remove(key, as: .memoryCap) } else { count(.memoryCap) }
            return .dropped(.memoryCap)
        }
        if sets[key] == nil {
            while sets.count >= max(1, limits.maxPendingSets) { evictOldest(as: .tooManyPending, except: key) }
            sets[key] = PendingSet(total: header.total, started: now)
        }
        while bufferedBytes + payload.count > limits.maxBufferedBytes {
            evictOldest(as: .memoryCap, except: key)
        }
        guard sets[key] != nil else { return .dropped(.memoryCap) }

        bufferedBytes += payload.count
        sets[key]!.bytes += payload.count
        sets[key]!.fragments[header.seq] = Array(payload)
        guard let set = sets[key], set.fragments.count == Int(set.total) else { return .pending }

        sets[key] = nil
        bufferedBytes -= set.bytes
        var joined = [UInt8]()
        joined.reserveCapacity(set.bytes)
        for seq in 0..<set.total {
            if let part = set.fragments[seq] { joined.append(contentsOf: part) }
        }
        return .complete(joined)
    }

    /// Drops every set older than `timeout` at `now`; returns how many were dropped.
    @discardableResult
    public mutating func expire(now: Timestamp) -> Int {
        // Called every maintenance tick, nearly always with nothing held: no allocation then
        // (and no key path, which a generic type would instantiate at run time).
        guard !sets.isEmpty else { return 0 }
        var old: [Key] = []
        for (key, set) in sets where now - set.started > limits.timeout { old.append(key) }
        for key in old { remove(key, as: .expired) }
        return old.count
    }

    private mutating func remove(_ key: Key, as reason: DropReason) {
        if let set = sets.removeValue(forKey: key) {
            bufferedBytes -= set.bytes
            count(reason)
        }
    }

    /// Evicts the oldest set other than `keep`; if there is none, evicts `keep` itself.
    private mutating func evictOldest(as reason: DropReason, except keep: Key) {
        var victim: Key? = nil
        var oldest = Timestamp(nanoseconds: .max)
        for (key, set) in sets where key != keep && set.started <= oldest {
            victim = key
            oldest = set.started
        }
        remove(victim ?? keep, as: reason)
    }

    private mutating func drop(_ reason: DropReason) -> Outcome {
        count(reason)
        return .dropped(reason)
    }

    private mutating func count(_ reason: DropReason) {
        drops[reason, default: 0] += 1
    }
}

/// The bounds a `Reassembler` enforces. A value type; thread-safe.
public struct ReassemblyLimits: Hashable, Sendable {
    /// How long an incomplete set may wait for its remaining fragments.
    public var timeout: Duration = .seconds(10)
    /// The most payload bytes buffered across all incomplete sets.
    public var maxBufferedBytes: Int = 4 << 20
    /// The most incomplete sets held at once.
    public var maxPendingSets: Int = 256
    public static let `default` = ReassemblyLimits()
    public init() {}
}

/// Why the `Reassembler` threw a fragment set (or a lone fragment) away. Thread-safe.
public enum ReassemblyDropReason: String, Hashable, Sendable, CaseIterable {
    /// The set outlived `timeout`.
    case expired
    /// A fragment's `total` disagreed with the set's.
    case totalMismatch
    /// Buffering the fragment would exceed `maxBufferedBytes` (oldest sets are evicted first;
    /// this is counted for each evicted set and for a set too large on its own).
    case memoryCap
    /// The oldest set was evicted to make room under `maxPendingSets`.
    case tooManyPending
    /// The header was inconsistent (`total == 0` or `seq >= total`).
    case badHeader
}

/// The outcome of feeding one fragment to a `Reassembler`. A value type; thread-safe.
public enum ReassemblyOutcome: Hashable, Sendable {
    /// The message is whole: its payload, fragments joined in `seq` order.
    case complete([UInt8])
    /// More fragments are needed (also returned for a duplicate fragment).
    case pending
    /// This fragment's set was dropped.
    case dropped(ReassemblyDropReason)
}
