import DHTWire

/// One k-bucket of a `RoutingTable`: every id whose first `prefixLength` bits equal those of
/// `lower`, that is the closed range `lower...upper`.
///
/// Contract: `contacts` holds at most k contacts, least-recently-seen first, all inside the
/// range, with distinct ids; `replacements` holds at most `replacementCacheSize` candidates,
/// most recent last, also inside the range and disjoint from `contacts`. Only the owning
/// `RoutingTable` mutates a bucket. A value type; not shared between threads by the table.
public struct KBucket: Sendable, Hashable {
    /// How many leading bits every id in the bucket shares (0 = the whole id space).
    public let prefixLength: Int
    /// The lowest id in the bucket (the prefix followed by zeros).
    public let lower: NodeID
    /// The highest id in the bucket (the prefix followed by ones), inclusive.
    public let upper: NodeID
    /// Live contacts, least-recently-seen first; at most k.
    public internal(set) var contacts: [Contact]
    /// Candidates waiting for a slot, most recent last; at most `replacementCacheSize`.
    public internal(set) var replacements: [Contact]
    /// The last time a contact was added or refreshed here, or the bucket was refreshed or split.
    public internal(set) var lastChanged: Timestamp
    /// The head contact the engine was asked to ping because the bucket is full, if any.
    public internal(set) var pendingHeadPing: NodeID?
    /// When `pendingHeadPing` was requested.
    public internal(set) var pendingHeadPingSince: Timestamp?

    /// An empty bucket for the ids sharing the first `prefixLength` bits of `prefix`.
    public init(prefix: NodeID, prefixLength: Int, lastChanged: Timestamp) {
        precondition((0...NodeID.bitCount).contains(prefixLength))
        self.prefixLength = prefixLength
        self.lower = prefix.keepingPrefix(prefixLength)
        self.upper = prefix.fillingBelowPrefix(prefixLength)
        self.contacts = []
        self.replacements = []
        self.lastChanged = lastChanged
        self.pendingHeadPing = nil
        self.pendingHeadPingSince = nil
    }

    /// Whether `id` lies inside `lower...upper`.
    public func contains(_ id: NodeID) -> Bool {
        !(id < lower) && !(upper < id)
    }

    /// The least-recently-seen contact, the one to check when the bucket is full.
    public var head: Contact? { contacts.first }

    /// The position of `id` in `contacts`.
    public func index(of id: NodeID) -> Int? {
        contacts.firstIndex { $0.id == id }
    }

    /// The position of `id` in `replacements`.
    public func replacementIndex(of id: NodeID) -> Int? {
        replacements.firstIndex { $0.id == id }
    }

    /// Whether the bucket can be halved (it is not a single id).
    public var canSplit: Bool { prefixLength < NodeID.bitCount }

    /// The two halves of this bucket (next bit 0, next bit 1), each holding the contacts and
    /// replacements in its range in their original order. The pending head ping follows its
    /// contact. Both halves get `lastChanged = now`.
    func split(now: Timestamp) -> (KBucket, KBucket) {
        precondition(canSplit)
        var low = KBucket(prefix: lower, prefixLength: prefixLength + 1, lastChanged: now)
        var high = KBucket(
            prefix: lower.setting(bit: prefixLength, to: true),
            prefixLength: prefixLength + 1, lastChanged: now)
        for c in contacts {
            if low.contains(c.id) { low.contacts.append(c) } else { high.contacts.append(c) }
        }
        for c in replacements {
            if low.contains(c.id) { low.replacements.append(c) } else { high.replacements.append(c) }
        }
        if let pending = pendingHeadPing {
            if low.index(of: pending) != nil {
                low.pendingHeadPing = pending
                low.pendingHeadPingSince = pendingHeadPingSince
            } else if high.index(of: pending) != nil {
                high.pendingHeadPing = pending
                high.pendingHeadPingSince = pendingHeadPingSince
            }
        }
        return (low, high)
    }

    /// Forgets the pending head ping.
    mutating func clearPendingHeadPing() {
        pendingHeadPing = nil
        pendingHeadPingSince = nil
    }
}
