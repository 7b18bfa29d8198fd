/// The delays between attempts to reach a node again after an attached console lost it: 1 s,
/// doubling up to 30 s, each with ±20 % jitter (so that many consoles do not knock at once),
/// back to 1 s after a success. A value type; pure (the jitter's random number is passed in).
public struct ReconnectBackoff: Sendable, Hashable {
    public var first: Double
    public var limit: Double
    /// The share by which a delay may be shorter or longer (0.2: ±20 %).
    public var jitter: Double
    /// Attempts that failed since the last success.
    public private(set) var failures = 0

    public init(first: Double = 1, limit: Double = 30, jitter: Double = 0.2) {
        self.first = first
        self.limit = limit
        self.jitter = jitter
    }

    /// The delay before the next attempt, in seconds, without jitter: `first · 2^failures`,
    /// at most `limit`.
    public var baseDelay: Double {
        var d = first
        for _ in 0..<min(failures, 32) where d < limit { d *= 2 }
        return min(d, limit)
    }

    /// The delay before the next attempt, with `unit` (0…1, uniformly random) choosing the
    /// jitter; counts one more failure for the attempt after it.
    public mutating func next(unit: Double) -> Double {
        let u = unit.isFinite ? min(max(unit, 0), 1) : 0.5
        let delay = baseDelay * (1 - jitter + 2 * jitter * u)
        failures += 1
        return delay
    }

    /// The node answered: the next loss starts again at `first`.
    public mutating func succeeded() { failures = 0 }
}
