/// A point in wall-clock time, in nanoseconds since the Unix epoch.
///
/// Everything below the runtime takes time as a `Timestamp` argument and never reads a clock,
/// so tests drive time by hand. A value type; thread-safe.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }
    public init(seconds: Double) { self.nanoseconds = Int64(seconds * 1e9) }
    public init(unixSeconds: Int64) { self.nanoseconds = unixSeconds &* 1_000_000_000 }

    /// Whole seconds since the epoch, as BitDust records them (`originallyPublished`).
    public var unixSeconds: Int64 { nanoseconds / 1_000_000_000 }
    public var seconds: Double { Double(nanoseconds) / 1e9 }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanoseconds < b.nanoseconds }

    public static func + (t: Timestamp, d: Duration) -> Timestamp {
        Timestamp(nanoseconds: t.nanoseconds &+ d.nanoseconds)
    }
    public static func - (t: Timestamp, d: Duration) -> Timestamp {
        Timestamp(nanoseconds: t.nanoseconds &- d.nanoseconds)
    }
    /// The span from `b` to `a`.
    public static func - (a: Timestamp, b: Timestamp) -> Duration {
        Duration.nanoseconds(a.nanoseconds &- b.nanoseconds)
    }

    public var description: String {
        let whole = nanoseconds / 1_000_000_000
        let micros = String((nanoseconds % 1_000_000_000) / 1000)
        return "\(whole).\(String(repeating: "0", count: max(0, 6 - micros.count)))\(micros)"
    }
}

extension Duration {
    /// The duration as whole nanoseconds (saturating).
    public var nanoseconds: Int64 {
        let (s, a) = components
        let (m, o1) = s.multipliedReportingOverflow(by: 1_000_000_000)
        if o1 { return s < 0 ? .min : .max }
        let (r, o2) = m.addingReportingOverflow(a / 1_000_000_000)
        return o2 ? .max : r
    }
    /// The duration in seconds as a floating-point number.
    public var seconds: Double { Double(nanoseconds) / 1e9 }
    /// The duration in milliseconds as a floating-point number.
    public var milliseconds: Double { Double(nanoseconds) / 1e6 }
}

extension Timestamp {
    /// Decodes nanoseconds since the Unix epoch, an integer.
    public init(from decoder: any Decoder) throws {
        self.init(nanoseconds: try decoder.singleValueContainer().decode(Int64.self))
    }

    /// Encodes as an integer of nanoseconds since the Unix epoch.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(nanoseconds)
    }
}
