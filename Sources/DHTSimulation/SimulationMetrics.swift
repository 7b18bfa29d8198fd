/// One measured findNode lookup.
struct LookupSample {
    var elapsed: Int64
    var rounds = 0
    var messages = 0
    /// Returned exactly the true k closest alive nodes.
    var exact = false
}

/// One measured get.
struct GetSample {
    var elapsed: Int64
    /// One round trip to the nearest holder (nil: no alive node among the closest held it).
    var ideal: Int64?
    var key: Int
    var found = false
    var rounds = 0
}

/// Everything a run counts. A value type.
struct SimulationMetrics {
    var datagramsSent = 0
    var datagramsLost = 0
    var datagramsDelivered = 0
    var datagramsToOffline = 0
    var datagramsUnroutable = 0
    var joins = 0
    var joinFailures = 0
    var churners = 0
    var departures = 0
    var neverReturned = 0
    /// Workload actions that found no alive node (or no live key) to act on.
    var skipped = 0
    var finds: [LookupSample] = []
    var gets: [GetSample] = []
    var finalGets: [GetSample] = []
    var keysChecked = 0
    var copies: [Int] = []
}

/// Order statistics. Pure.
enum Stats {
    /// The `q`-quantile (nearest rank) of `values`; nil when empty.
    static func quantile<T: Comparable>(_ values: [T], _ q: Double) -> T? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func median<T: Comparable>(_ values: [T]) -> T? { quantile(values, 0.5) }

    static func fraction(_ hits: Int, of total: Int) -> Double { total == 0 ? 0 : Double(hits) / Double(total) }
}

/// Fixed-point number formatting without Foundation. Pure.
public enum Format {
    /// `x` with `digits` decimals (`1.50`); "nan" or "inf" when not finite.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(x) * scale).rounded()
        guard scaled < 9e18 else { return "\(x)" }
        let n = Int64(scaled)
        let whole = n / Int64(scale)
        var text = (x < 0 && n != 0 ? "-" : "") + "\(whole)"
        if digits > 0 {
            let fraction = String(n % Int64(scale))
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return text
    }
}
