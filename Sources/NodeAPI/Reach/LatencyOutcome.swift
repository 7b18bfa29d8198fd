import DHTCore

/// The RPC latency histograms as text and JSON, for the `latency` command and `status`.
/// Pure; thread-safe.
public enum LatencyText {
    /// `findNode  120 calls: p50 1.0ms p90 2.5ms p99 5.0ms max 4.1ms`.
    public static func line(method: String, count: Int, p50: Double?, p90: Double?, p99: Double?, max: Double) -> String {
        func ms(_ v: Double?) -> String { v.map { Format.fixed($0, $0 < 10 ? 1 : 0) + "ms" } ?? "-" }
        return Format.pad(method, 10) + "\(count) call\(count == 1 ? "" : "s"): p50 \(ms(p50)) p90 \(ms(p90)) p99 \(ms(p99)) max \(ms(max))"
    }

    /// The line of one histogram.
    public static func line(method: String, _ h: LatencyHistogram) -> String {
        line(method: method, count: h.count, p50: h.quantileMs(0.5), p90: h.quantileMs(0.9), p99: h.quantileMs(0.99), max: h.maxMs)
    }
}

extension CommandOutcome {
    /// `RPC latency of 4 methods, 312 answered calls` and one line per method (sorted); the
    /// JSON has `methods`, each with its quantiles and its per-bucket counts.
    public init(latency histograms: [String: LatencyHistogram], context: JSONFields = JSONFields()) {
        let sorted = histograms.sorted { $0.key < $1.key }
        let total = sorted.reduce(0) { $0 + $1.value.count }
        self.init(
            succeeded: true,
            summary: total == 0 ? "no answered calls yet" : "RPC latency of \(sorted.count) method\(sorted.count == 1 ? "" : "s"), \(total) answered calls",
            fields: context)
        detail = sorted.map { LatencyText.line(method: $0.key, $0.value) }
        fields["methods"] = .array(
            sorted.map { method, h in
                JSONFields([
                    ("method", .string(method)), ("count", .int(h.count)), ("sum_ms", .double(h.sumMs)), ("max_ms", .double(h.maxMs)),
                    ("p50_ms", h.quantileMs(0.5).map(JSONValue.double) ?? .null),
                    ("p90_ms", h.quantileMs(0.9).map(JSONValue.double) ?? .null),
                    ("p99_ms", h.quantileMs(0.99).map(JSONValue.double) ?? .null),
                    ("bucket_bounds_ms", .array(LatencyHistogram.boundsMs.map(JSONValue.double))),
                    ("bucket_counts", .array(h.counts.map { .int($0) }))
                ]).object
            })
    }
}
