import DHTWire

/// RPC round-trip times of one method in fixed log-spaced buckets (1-2.5-5 per decade, 0.1 ms
/// to 10 s, then +Inf): bounded memory (17 counters, a sum and a count) whatever the traffic,
/// the same bucket bounds as the Prometheus histogram (`le`), and quantiles read from the
/// buckets (upper bound of the bucket holding the rank, so an estimate never under-reports).
/// A value type; pure; reads no clock.
public struct LatencyHistogram: Sendable, Hashable {
    /// Upper bounds of the finite buckets, in milliseconds; one more bucket counts the rest.
    public static let boundsMs: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]

    /// Per-bucket counts (not cumulative): `boundsMs.count + 1` entries, the last for > 10 s.
    public private(set) var counts: [Int] = Array(repeating: 0, count: LatencyHistogram.boundsMs.count + 1)
    public private(set) var count = 0
    /// Sum of all samples in milliseconds.
    public private(set) var sumMs = 0.0
    public private(set) var maxMs = 0.0

    public init() {}

    /// Adds one sample (negative ones count as 0).
    public mutating func record(_ latency: Duration) {
        let ms = max(0, latency.milliseconds)
        let index = Self.boundsMs.firstIndex { ms <= $0 } ?? Self.boundsMs.count
        counts[index] &+= 1
        count &+= 1
        sumMs += ms
        maxMs = max(maxMs, ms)
    }

    /// Cumulative counts per bound, as Prometheus's `_bucket{le=…}` wants them (the last is +Inf).
    public var cumulative: [Int] {
        var running = 0
        return counts.map { c in
            running &+= c
            return running
        }
    }

    /// The `q` quantile (0…1) in milliseconds: the upper bound of the bucket holding that rank
    /// (the largest sample for the last bucket); nil when empty.
    public func quantileMs(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = max(1, Int((min(max(q, 0), 1) * Double(count)).rounded(.up)))
        var seen = 0
        for (i, c) in counts.enumerated() {
            seen += c
            if seen >= rank { return i < Self.boundsMs.count ? min(Self.boundsMs[i], maxMs) : maxMs }
        }
        return maxMs
    }

    /// The method names a histogram is kept for; any other is counted as `other`, so the map
    /// holds at most this many keys.
    public static let methods: Set<String> = ["ping", "store", "findNode", "findValue", "request", "delete", "other"]

    /// The key `method` is counted under.
    public static func key(_ method: String) -> String { methods.contains(method) ? method : "other" }
}
