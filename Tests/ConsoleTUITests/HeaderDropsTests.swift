import ConsoleModel
import ConsoleTUI
import DHTCore
import DHTWire
import Testing

/// Datagrams dropped by the per-source rate limit show in the header at every size.
@Suite struct HeaderDropsTests {
    static func state(width: Int, height: Int, dropped: [String: Int]) -> ConsoleState {
        var st = SampleState.make(width: width, height: height)
        var counters = Counters()
        counters.dropped = dropped
        let snapshot = NodeSnapshot(
            takenAt: st.now, layers: [], counters: counters, pending: [], lookups: [], addressText: "0.0.0.0:14441",
            dataDirectory: "/tmp/d", startedAt: st.now, k: 4)
        _ = st.apply(.snapshot(snapshot))
        return st
    }

    @Test(arguments: [(80, 24), (200, 50)])
    func rateLimitedDropsAreShown(size: (Int, Int)) {
        let st = Self.state(width: size.0, height: size.1, dropped: ["rate_limited": 7, "malformed": 2])
        #expect(st.header.rateLimited == 7)
        let header = ScreenRenderer.render(st).surface.text.split(separator: "\n").prefix(3).joined(separator: "\n")
        #expect(header.contains("9/7rl") || header.contains("(7 rate-limited)"), "\(header)")
    }

    @Test func nothingIsShownAtEightyColumnsWithoutDrops() {
        let st = Self.state(width: 80, height: 24, dropped: [:])
        let header = ScreenRenderer.render(st).surface.text.split(separator: "\n").prefix(2).joined(separator: "\n")
        #expect(!header.contains("drop"))
    }
}
