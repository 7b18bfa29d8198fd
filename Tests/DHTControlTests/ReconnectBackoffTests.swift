import DHTControl
import Testing

/// The attach link's retry delays: 1 s doubling to 30 s, ±20 % jitter, reset by a success.
@Suite struct ReconnectBackoffTests {
    @Test func doublesToThirtySecondsAndResets() {
        var b = ReconnectBackoff()
        let delays = (0..<8).map { _ in b.next(unit: 0.5) }
        #expect(delays == [1, 2, 4, 8, 16, 30, 30, 30])
        b.succeeded()
        #expect(b.next(unit: 0.5) == 1)
    }

    @Test func jitterStaysWithinTwentyPercent() {
        var low = ReconnectBackoff(), high = ReconnectBackoff()
        for _ in 0..<3 {
            _ = low.next(unit: 0.5)
            _ = high.next(unit: 0.5)
        }
        #expect(abs(low.next(unit: 0) - 6.4) < 1e-9)
        #expect(abs(high.next(unit: 1) - 9.6) < 1e-9)
        var odd = ReconnectBackoff()
        #expect(odd.next(unit: .nan) == 1)
        #expect(abs(odd.next(unit: 7) - 2.4) < 1e-9)  // out of range: taken as 1
    }
}
