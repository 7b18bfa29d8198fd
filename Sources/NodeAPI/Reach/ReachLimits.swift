/// The budgets of the operator's reach commands (`discover`, `watch`, `crawl`), in one place;
/// docs/limits.md lists them. Constants; thread-safe.
public enum ReachLimits {
    /// `discover`: providers asked for (`--count`), and its default.
    public static let discoverCount: ClosedRange<Int> = 1...100
    public static let discoverDefaultCount = 5
    /// `discover`: the whole command's time budget in seconds, and its default.
    public static let discoverSeconds: ClosedRange<Int> = 1...600
    public static let discoverDefaultSeconds = 30
    /// `discover`: random-key lookups at most, and `request` calls at most.
    public static let discoverLookups = 16
    public static let discoverRequests = 256

    /// `watch`: the poll interval in seconds (the floor keeps a watch from hammering the
    /// network), its default, and the backoff's ceiling while nothing changes.
    public static let watchInterval: ClosedRange<Int> = 2...3600
    public static let watchDefaultInterval = 10
    public static let watchBackoffFactor = 8
    public static let watchMaxBackoffSeconds = 3600
    /// `watch`: changes to report before it ends (`--count`), and the history it keeps.
    public static let watchCount: ClosedRange<Int> = 1...100_000
    public static let watchHistory = 32
    /// `watch`: how long it runs at most in seconds (`--seconds`), and the default, so that a
    /// watch of a key nobody writes ends (and frees the console's prompt).
    public static let watchSeconds: ClosedRange<Int> = 10...86_400
    public static let watchDefaultSeconds = 600

    /// `crawl`: RPCs started per second (`--rate`), and the default (polite) rate.
    public static let crawlRate: ClosedRange<Int> = 1...500
    public static let crawlDefaultRate = 20
    /// `crawl`: nodes visited at most (`--max-nodes`), and the default.
    public static let crawlMaxNodes: ClosedRange<Int> = 1...10_000
    public static let crawlDefaultMaxNodes = 1000
    /// `crawl`: buckets probed per node at most (common-prefix depths 0…23), calls in flight.
    public static let crawlDepths = 24
    public static let crawlInFlight = 16
    /// `crawl`: the node list an outcome carries (the JSON lines stream every node anyway).
    public static let crawlListed = 10_000

    /// Text of a peer's answer kept per provider or change (bytes, cut with "…").
    public static let answerBytes = 512
}
