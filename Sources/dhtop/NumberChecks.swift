import ArgumentParser

/// Range checks for numbers given on the command line, all with one message shape:
/// `--port must be 0–65535, not -1`. Numeric options are declared with
/// `parsing: .unconditional`, so that a negative number reaches these checks instead of being
/// taken for a flag ("Missing value"). Pure; thread-safe.
enum NumberCheck {
    /// Fails unless `value` is in `range`; `unit` follows the range (" seconds").
    static func check<T: BinaryInteger>(_ value: T, _ flag: String, _ range: ClosedRange<T>, unit: String = "") throws(ValidationError) {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be \(range.lowerBound)–\(range.upperBound)\(unit), not \(value)")
        }
    }

    /// Fails unless `value` is a finite number in `range`.
    static func check(_ value: Double, _ flag: String, _ range: ClosedRange<Double>, unit: String = "") throws(ValidationError) {
        guard value.isFinite, range.contains(value) else {
            throw ValidationError("\(flag) must be \(text(range.lowerBound))–\(text(range.upperBound))\(unit), not \(text(value))")
        }
    }

    /// Fails unless `value` is a finite number above 0 and at most `max`.
    static func positive(_ value: Double, _ flag: String, max: Double, unit: String = "") throws(ValidationError) {
        guard value.isFinite, value > 0, value <= max else {
            throw ValidationError("\(flag) must be more than 0 and at most \(text(max))\(unit), not \(text(value))")
        }
    }

    /// `5` for 5.0, `0.5` for 0.5.
    static func text(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
