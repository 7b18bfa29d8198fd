/// Every tunable of the engine, with BitDust's network values as defaults (docs/protocol.md §14).
/// A value type; thread-safe.
public struct EngineConfiguration: Sendable, Hashable {
    /// Bucket size and the number of results of findNode (Kademlia paper §2.2; BitDust `k` = 4).
    public var k: Int = 4
    /// Parallel RPCs per lookup (paper §2.3; BitDust `alpha` = 4).
    public var alpha: Int = 4
    /// Time before an outgoing RPC counts as timed out. Python's is 30 s; ours is shorter.
    public var rpcTimeout: Duration = .seconds(5)
    /// How long a lookup waits for one query before it stops counting on it and asks the next
    /// candidate; the RPC itself stays pending until `rpcTimeout`, and a late answer still counts.
    public var lookupSoftTimeout: Duration = .seconds(1)
    /// Contacts kept per bucket to replace evicted ones (paper §4.1).
    public var replacementCacheSize: Int = 8
    /// Consecutive timeouts after which a contact leaves the table.
    public var maxFailures: Int = 2
    /// A bucket untouched this long is refreshed with a lookup (BitDust `refreshTimeout`).
    public var bucketRefreshInterval: Duration = .seconds(600)
    /// How often stale buckets are checked (BitDust `checkRefreshInterval`).
    public var refreshCheckInterval: Duration = .seconds(120)
    /// At each refresh check, ping the 2k contacts closest to our own id not heard from since the
    /// last one (`DHTEngine.checkNeighbours`), so that departed neighbours leave the table.
    public var checksNeighbours: Bool = true
    /// How often the engine's housekeeping runs (fragment and record expiry, queued republishes,
    /// the refresh check): every second in a node. A simulation of thousands of engines runs it
    /// less often; call deadlines and lookup timers are not affected.
    public var maintenanceInterval: Duration = .seconds(1)
    /// How often expired records are swept (BitDust's expire loop).
    public var expirySweepInterval: Duration = .seconds(60)
    /// Default lifetime of a stored value, also the store RPC's default (docs/protocol.md §8.2).
    public var defaultExpireSeconds: Int64 = 43_200
    /// Sender-side clamp of `expireSeconds` (KEY_EXPIRE_MIN/MAX_SECONDS).
    public var minExpireSeconds: Int64 = 120
    public var maxExpireSeconds: Int64 = 43_200
    /// How often a node hands its records to the k closest nodes (replication).
    public var replicateInterval: Duration = .seconds(600)
    /// How long before a record's end the original publisher re-stores it, at most: the margin
    /// used is `min(republishMargin, expireSeconds / 4)`. The record keeps its original
    /// publication time, so republishing never extends its life (docs/limits.md).
    public var republishMargin: Duration = .seconds(300)
    /// The most republish lookups started per maintenance tick (once a second); records due
    /// beyond it wait in a queue for the next ticks, none is skipped.
    public var republishPerTick: Int = 16
    /// Run BitDust's store validation (docs/protocol.md §13.2) on every store.
    public var validateStores: Bool = true
    /// Serve the unauthenticated `delete` RPC (docs/protocol.md §8.5). Off by default.
    public var allowDelete: Bool = false
    /// The largest value accepted by a store, in bytes.
    public var maxValueBytes: Int = 256 * 1024
    /// The most records a layer holds; stores beyond it are refused.
    public var maxRecords: Int = 1_000_000
    /// The most contacts a lookup keeps in its shortlist.
    public var lookupShortlistLimit: Int = 256
    /// The most lookups running at once; more are refused.
    public var maxConcurrentLookups: Int = 64
    /// The most of our RPCs awaiting an answer before fire-and-forget calls (replication,
    /// cache-stores, head pings) are skipped (`DHTEngine.skippedCalls` counts them).
    public var maxPendingCalls: Int = 4096
    /// Per-source-address limit on received datagrams (one flooding peer cannot starve the
    /// others); nil turns it off (`dhtop bench` does, its load comes from one address).
    public var rateLimit: RateLimitConfiguration? = RateLimitConfiguration()
    /// Storage quota of one layer: the most bytes of records (`StorageQuota.charge`: key, bencoded
    /// value and a fixed per-record overhead) a layer keeps; stores past it are refused. The
    /// records live in RAM, so this is also their RAM budget (docs/limits.md, "Storage").
    public var storageQuotaBytes: Int = 64 * 1024 * 1024
    /// The most bytes of records all layers together keep (so that many layers cannot take many
    /// times the layer quota).
    public var storageTotalQuotaBytes: Int = 128 * 1024 * 1024
    /// One original publisher id may hold at most `storageQuotaBytes / publisherShareDivisor`
    /// on a layer.
    public var publisherShareDivisor: Int = 16
    /// One source host (the address a store came from, whatever publisher ids it names) may hold
    /// at most `storageQuotaBytes / hostShareDivisor` on a layer.
    public var hostShareDivisor: Int = 4

    public init() {}
}
