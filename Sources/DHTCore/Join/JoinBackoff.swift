import DHTWire

/// The wait before join attempt n+1 after n failed ones: `initial` doubling per attempt up to
/// `maximum`, times a jitter factor drawn uniformly from [1 - jitter, 1 + jitter] with the
/// engine's `RandomSource` (so that nodes started together do not retry in step). Pure; reads no
/// clock. A value type.
public struct JoinBackoff: Sendable, Hashable {
    public var initial: Duration = .seconds(1)
    public var maximum: Duration = .seconds(60)
    /// The jitter as a share of the wait (0.25: ±25 %).
    public var jitter: Double = 0.25

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60), jitter: Double = 0.25) {
        self.initial = initial
        self.maximum = maximum
        self.jitter = jitter
    }

    /// The wait without jitter after `failures` failed attempts (1 → `initial`).
    public func base(afterFailures failures: Int) -> Duration {
        let doublings = max(0, min(failures - 1, 30))
        let initialNs = max(0, initial.nanoseconds), maxNs = max(0, maximum.nanoseconds)
        let (scaled, overflow) = initialNs.multipliedReportingOverflow(by: Int64(1) << Int64(doublings))
        return .nanoseconds(overflow ? maxNs : min(scaled, maxNs))
    }

    /// The jittered wait after `failures` failed attempts.
    public func delay(afterFailures failures: Int, random: RandomSource) -> Duration {
        let base = Double(self.base(afterFailures: failures).nanoseconds)
        let unit = Double(random.next() >> 11) / Double(UInt64(1) << 53)
        let factor = 1 - jitter + 2 * jitter * unit
        return .nanoseconds(Int64(base * factor))
    }
}
