/// Integer arithmetic that cannot trap, for every value that came from the network or from
/// storage written by an older version. Results past `Int64`'s range stick at its ends.
/// Stateless; thread-safe.
public enum Saturating {
    /// `a + b`, stuck at `Int64.min` / `Int64.max` instead of overflowing.
    @inline(__always)
    public static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? (b > 0 ? .max : .min) : r
    }

    /// `a - b`, stuck at `Int64.min` / `Int64.max` instead of overflowing.
    @inline(__always)
    public static func subtract(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, o) = a.subtractingReportingOverflow(b)
        return o ? (b < 0 ? .max : .min) : r
    }

    /// `a * b`, stuck at the ends instead of overflowing.
    @inline(__always)
    public static func multiply(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? ((a < 0) != (b < 0) ? .min : .max) : r
    }

    /// `value` moved into `range`.
    @inline(__always)
    public static func clamp<T: Comparable>(_ value: T, to range: ClosedRange<T>) -> T {
        min(max(value, range.lowerBound), range.upperBound)
    }

    /// `value` as an `Int`, clamped to `range` (for sizes and counts from the wire).
    @inline(__always)
    public static func int(_ value: Int64, in range: ClosedRange<Int>) -> Int {
        Int(clamp(value, to: Int64(range.lowerBound)...Int64(range.upperBound)))
    }
}
