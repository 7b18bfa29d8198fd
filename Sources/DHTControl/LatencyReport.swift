import DHTCore
import NodeAPI

/// One method's RPC latency histogram as `status --json` carries it: `method`, `count`,
/// `sum_ms`, `max_ms`, and `buckets` (cumulative counts per upper bound in milliseconds, the
/// last one `+Inf`), JSON names spelled out. Also its one-line text (`findNode 120 calls:
/// p50 1ms p90 2.5ms p99 5ms max 4.1ms`). A value type; thread-safe.
public struct LatencyReport: Sendable, Hashable, Codable {
    public struct Bucket: Sendable, Hashable, Codable {
        /// Upper bound in milliseconds; nil for +Inf.
        public var le: Double?
        public var count: Int
    }
    public var method: String
    public var count: Int
    public var sumMs: Double
    public var maxMs: Double
    public var p50Ms: Double?
    public var p90Ms: Double?
    public var p99Ms: Double?
    public var buckets: [Bucket]

    enum CodingKeys: String, CodingKey {
        case method, count, buckets
        case sumMs = "sum_ms", maxMs = "max_ms", p50Ms = "p50_ms", p90Ms = "p90_ms", p99Ms = "p99_ms"
    }

    public init(method: String, histogram h: LatencyHistogram) {
        self.method = method
        count = h.count
        sumMs = h.sumMs
        maxMs = h.maxMs
        p50Ms = h.quantileMs(0.5)
        p90Ms = h.quantileMs(0.9)
        p99Ms = h.quantileMs(0.99)
        let cumulative = h.cumulative
        buckets = cumulative.enumerated().map { i, c in
            Bucket(le: i < LatencyHistogram.boundsMs.count ? LatencyHistogram.boundsMs[i] : nil, count: c)
        }
    }

    /// Every method's report, sorted by method.
    public static func all(_ histograms: [String: LatencyHistogram]) -> [LatencyReport] {
        histograms.sorted { $0.key < $1.key }.map { LatencyReport(method: $0.key, histogram: $0.value) }
    }

    /// `findNode  120 calls: p50 1.0ms p90 2.5ms p99 5.0ms max 4.1ms`.
    public var line: String { LatencyText.line(method: method, count: count, p50: p50Ms, p90: p90Ms, p99: p99Ms, max: maxMs) }
}
