import DHTWire

/// Counts of something per wall-clock second for the last `capacity` seconds, for rates and
/// sparklines. A value type owned by `HeaderModel`.
public struct RateHistory: Sendable {
    /// Completed seconds, oldest first.
    public private(set) var seconds: RingBuffer<Int>
    /// The second being counted (Unix seconds) and its count so far.
    public private(set) var currentSecond: Int64 = 0
    public private(set) var current = 0

    public init(capacity: Int = 60) { seconds = RingBuffer(capacity: capacity) }

    /// Counts `n` occurrences at `time`.
    public mutating func record(_ n: Int = 1, at time: Timestamp) {
        advance(to: time)
        current += n
    }

    /// Closes every second before `time`'s second (filling silent seconds with 0).
    public mutating func advance(to time: Timestamp) {
        let s = time.unixSeconds
        if currentSecond == 0 {
            currentSecond = s
            return
        }
        guard s > currentSecond else { return }
        seconds.append(current)
        let gap = min(Int(s - currentSecond) - 1, seconds.capacity)
        for _ in 0..<max(0, gap) { seconds.append(0) }
        current = 0
        currentSecond = s
    }

    /// The average per second over the last `window` completed seconds.
    public func rate(window: Int = 5) -> Double {
        let all = seconds.elements.suffix(window)
        return all.isEmpty ? 0 : Double(all.reduce(0, +)) / Double(all.count)
    }

    /// The sum over the last `window` completed seconds plus the current one.
    public func total(window: Int) -> Int {
        seconds.elements.suffix(window).reduce(current, +)
    }
}
