import DHTWire

/// A Kademlia routing table for one layer: k-buckets that partition the whole 160-bit id space,
/// splitting only the bucket that contains our own id.
///
/// Contract: `buckets` are sorted, contiguous and non-overlapping from `NodeID.zero` to
/// `NodeID.max`; every contact lies in its bucket's range; a bucket holds at most k contacts;
/// our own id is never stored; ids are unique and so are endpoints, across the live contacts
/// and the replacement caches. At most one head ping is outstanding per bucket, and a contact
/// seen within `headPingGrace` is never pinged for eviction.
///
/// Pure and synchronous: it never reads a clock (every time is passed in) and never does I/O;
/// it reports what happened as `[RoutingChange]`. A value type that is not internally
/// synchronised: one owner (the engine, on one queue) mutates it.
public struct RoutingTable: Sendable {
    /// Our own id in this layer; never added to the table.
    public let ownID: NodeID
    /// Supplies k, `replacementCacheSize` and `maxFailures`.
    public let configuration: EngineConfiguration
    /// A head seen this recently is considered alive and is not pinged when its bucket is full.
    public var headPingGrace: Duration
    /// A head ping with no outcome after this long no longer blocks a new one (a safety net if
    /// the engine lost it; normally `headPingAnswered`/`headPingFailed` resolve it).
    public var headPingTimeout: Duration
    /// The buckets, sorted by range and covering the whole id space.
    public internal(set) var buckets: [KBucket]
    /// `buckets.map(\.lower)`, kept beside them (only a split changes it): the bucket search
    /// reads 24 bytes a bucket instead of a whole bucket's cache lines.
    private(set) var lowers: [NodeID]
    /// The number of live contacts (replacements not included).
    public internal(set) var count: Int
    /// Endpoint of every live contact → its id.
    var endpointIndex: [Endpoint: NodeID]
    /// Holds (at least) the endpoint of every replacement-cache entry: `dropReplacements`
    /// reads the caches only when the endpoint may be in one, and rebuilds it while it does.
    var replacementEndpoints = EndpointFilter()

    /// An empty table: one bucket covering `[0, 2^160)`.
    public init(
        ownID: NodeID, configuration: EngineConfiguration, now: Timestamp,
        headPingGrace: Duration = .seconds(60), headPingTimeout: Duration? = nil
    ) {
        precondition(configuration.k >= 1, "k must be at least 1")
        self.ownID = ownID
        self.configuration = configuration
        self.headPingGrace = headPingGrace
        self.headPingTimeout = headPingTimeout ?? configuration.rpcTimeout * 3
        self.buckets = [KBucket(prefix: .zero, prefixLength: 0, lastChanged: now)]
        self.lowers = [.zero]
        self.count = 0
        self.endpointIndex = [:]
    }

    /// The bucket size.
    public var k: Int { configuration.k }

    /// The index of the bucket whose range contains `id`.
    public func bucketIndex(for id: NodeID) -> Int {
        // The last bucket whose `lower` is at most `id` (the first one's is zero). The search
        // narrows by halves with a select instead of a branch: ids are random, so a branch on
        // each comparison would be mispredicted half the time.
        lowers.withUnsafeBufferPointer { lower in
            var base = 0, n = lower.count
            while n > 1 {
                let half = n / 2
                base = id < lower[base + half] ? base : base + half
                n -= half
            }
            return base
        }
    }

    /// The live contact with this id, if any.
    public func contact(_ id: NodeID) -> Contact? {
        let i = bucketIndex(for: id)
        return buckets[i].index(of: id).map { buckets[i].contacts[$0] }
    }

    /// The replacement-cache entry with this id, if any.
    public func replacement(_ id: NodeID) -> Contact? {
        let b = buckets[bucketIndex(for: id)]
        return b.replacementIndex(of: id).map { b.replacements[$0] }
    }

    /// The live contact reached at `endpoint`, if any.
    public func contact(at endpoint: Endpoint) -> Contact? {
        endpointIndex[endpoint].flatMap { contact($0) }
    }

    /// Every live contact, in bucket order.
    public var allContacts: [Contact] { buckets.flatMap(\.contacts) }

    // MARK: - Internal mutation helpers (used by the extensions)

    /// Appends `c` as the most recently seen contact of bucket `i`, which must have room.
    mutating func appendContact(_ c: Contact, bucket i: Int) {
        precondition(buckets[i].contacts.count < k && buckets[i].contains(c.id))
        buckets[i].contacts.append(c)
        endpointIndex[c.endpoint] = c.id
        count += 1
    }

    /// Removes live contact `id` (which must exist) without promoting anyone; returns it and
    /// its bucket index.
    @discardableResult
    mutating func detachContact(_ id: NodeID) -> (Contact, Int) {
        let i = bucketIndex(for: id)
        guard let p = buckets[i].index(of: id) else { preconditionFailure("not a live contact") }
        let c = buckets[i].contacts.remove(at: p)
        if endpointIndex[c.endpoint] == id { endpointIndex[c.endpoint] = nil }
        if buckets[i].pendingHeadPing == id { buckets[i].clearPendingHeadPing() }
        count -= 1
        return (c, i)
    }

    /// Evicts live contact `id`, reports it and fills its slot from the replacement cache.
    mutating func evict(_ id: NodeID, reason: EvictionReason, changes: inout [RoutingChange]) {
        let (c, i) = detachContact(id)
        changes.append(.evicted(c, bucket: i, reason: reason))
        fillFromReplacements(bucket: i, changes: &changes)
    }

    /// Promotes replacements into bucket `i` while it has room: the most recent candidate with
    /// no failures first, else the most recent one.
    mutating func fillFromReplacements(bucket i: Int, changes: inout [RoutingChange]) {
        while buckets[i].contacts.count < k, !buckets[i].replacements.isEmpty {
            let r = buckets[i].replacements
            let pick = r.lastIndex { $0.failures == 0 } ?? r.count - 1
            let c = buckets[i].replacements.remove(at: pick)
            appendContact(c, bucket: i)
            changes.append(.promoted(c, bucket: i))
        }
    }

    /// Halves bucket `i` (which must contain our own id) and fills the halves from their caches.
    mutating func splitBucket(_ i: Int, now: Timestamp, changes: inout [RoutingChange]) {
        let (low, high) = buckets[i].split(now: now)
        buckets.replaceSubrange(i...i, with: [low, high])
        lowers.replaceSubrange(i...i, with: [low.lower, high.lower])
        changes.append(.split(bucket: i, newPrefixLength: low.prefixLength))
        fillFromReplacements(bucket: i, changes: &changes)
        fillFromReplacements(bucket: i + 1, changes: &changes)
    }

    /// Removes every cached candidate reached at `endpoint` whose id is not `keeping`.
    mutating func dropReplacements(
        at endpoint: Endpoint, keeping: NodeID,
        changes: inout [RoutingChange]
    ) {
        guard replacementEndpoints.mayContain(endpoint) else { return }
        var rebuilt = EndpointFilter()
        for i in buckets.indices {
            if buckets[i].replacements.contains(where: { $0.endpoint == endpoint }) {
                let stale = buckets[i].replacements.filter { $0.endpoint == endpoint && $0.id != keeping }
                buckets[i].replacements.removeAll { $0.endpoint == endpoint && $0.id != keeping }
                for c in stale { changes.append(.droppedReplacement(c, bucket: i)) }
            }
            for c in buckets[i].replacements { rebuilt.insert(c.endpoint) }
        }
        replacementEndpoints = rebuilt
    }

    /// Puts `c` at the tail of bucket `i`'s replacement cache, dropping the oldest on overflow.
    mutating func cacheReplacement(_ c: Contact, bucket i: Int, changes: inout [RoutingChange]) {
        let capacity = configuration.replacementCacheSize
        guard capacity > 0 else { return }
        buckets[i].replacements.removeAll { $0.id == c.id }
        buckets[i].replacements.append(c)
        replacementEndpoints.insert(c.endpoint)
        changes.append(.cachedReplacement(c, bucket: i))
        while buckets[i].replacements.count > capacity {
            let old = buckets[i].replacements.removeFirst()
            changes.append(.droppedReplacement(old, bucket: i))
        }
    }
}
