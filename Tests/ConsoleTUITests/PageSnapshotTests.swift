import ConsoleModel
@testable import ConsoleTUI
import DHTCore
import DHTWire
import NodeAPI
import Testing

/// The full-screen pages: a contact's details, a lookup's rounds, the results log; recorded like
/// the other screens (`scripts/record-snapshots`).
extension ScreenSnapshotTests {
    /// The sample state with a lookup traced over two rounds, calls to a contact, and two results.
    static func pageState(width: Int, height: Int) -> ConsoleState {
        var st = SampleState.make(width: width, height: height)
        let target = SampleState.nid(0xfeed_0000_0000_0000, 5)
        var s = LookupSummary(id: LookupID(4), layer: 0, target: target, purpose: .findNode, startedAt: SampleState.time(-3))
        func q(_ n: UInt32, high: UInt64, at: Double, lookup: Bool = true) -> RPCInfo {
            RPCInfo(
                rpcID: SampleState.nid(0x77, n), method: "findNode", peer: SampleState.endpoint(n),
                peerID: SampleState.nid(high, n), layer: 0, sentAt: SampleState.time(at), timeout: .seconds(5), attempt: 1,
                lookup: lookup ? s.id : nil)
        }
        let t = SampleState.time
        _ = st.apply(
            .events([.lookupStarted(s), .rpcSent(q(1, high: 0x8000_0000_0000_0000, at: -3)), .rpcSent(q(2, high: 0xf000_0000_0000_0000, at: -3))], at: t(-3)))
        s.rounds = 1
        _ = st.apply(.events([.lookupProgressed(s)], at: t(-3)))
        _ = st.apply(
            .events(
                [
                    .rpcAnswered(q(2, high: 0xf000_0000_0000_0000, at: -3), latency: .milliseconds(7), error: nil),
                    .rpcSent(q(3, high: 0xfe00_0000_0000_0000, at: -2.9))
                ], at: t(-2.9)))
        s.rounds = 2
        _ = st.apply(.events([.lookupProgressed(s)], at: t(-2.9)))
        _ = st.apply(.events([.rpcAnswered(q(3, high: 0xfe00_0000_0000_0000, at: -2.9), latency: .milliseconds(12), error: nil)], at: t(-2.8)))
        _ = st.apply(.events([.rpcTimedOut(q(1, high: 0x8000_0000_0000_0000, at: -3))], at: t(-1)))
        s.termination = .converged
        s.rpcsSent = 3
        s.responders = 2
        s.timeouts = 1
        s.elapsed = .milliseconds(2000)
        s.closestCommonPrefix = 8
        s.closest = [ContactTriple(id: SampleState.nid(0xfe00_0000_0000_0000, 3), endpoint: SampleState.endpoint(3), layer: 0)]
        _ = st.apply(.events([.lookupFinished(s)], at: t(-1)))
        // Calls to the first contact of the first bucket (i = 0 in SampleState).
        let c = SampleState.nid(0x8000_0000_0000_0000, 0)
        for (i, ms) in [5, 9, 6].enumerated() {
            let r = RPCInfo(
                rpcID: SampleState.nid(0x99, UInt32(i)), method: i == 1 ? "findNode" : "ping", peer: SampleState.endpoint(1),
                peerID: c, layer: 0, sentAt: t(Double(-40 + i * 10)), timeout: .seconds(5), attempt: 1, lookup: nil)
            _ = st.apply(.events([.rpcAnswered(r, latency: .milliseconds(Int64(ms)), error: nil)], at: t(Double(-40 + i * 10))))
        }
        _ = st.apply(.tick(t(0)))
        _ = st.apply(
            .commandResult(
                CommandOutcome(
                    command: "find feed", succeeded: true, summary: "8 closest after 2 rounds",
                    detail: ["10.0.0.3:14441 fe00000000000000…", "10.0.0.2:14441 f000000000000000…"])))
        _ = st.apply(.commandResult(CommandOutcome(command: "get nothing", succeeded: false, summary: "not found after 3 rounds, 9 RPCs")))
        return st
    }

    @Test func contactPage() {
        var st = Self.pageState(width: 80, height: 24)
        st.focus = .buckets
        _ = st.apply(.key(.enter))
        _ = st.apply(.key(.enter))
        let text = ScreenRenderer.render(st).surface.text
        check("page-contact-80x24", text)
        #expect(text.contains("p ping  f find its id"))
    }

    @Test func lookupPage() {
        var st = Self.pageState(width: 120, height: 40)
        st.focus = .inFlight
        for _ in 0..<20 {
            if case .finished(let f)? = st.inFlight.selectedRow(now: st.now), f.lookup?.id == LookupID(4) { break }
            _ = st.apply(.key(.down))
        }
        _ = st.apply(.key(.enter))
        #expect(st.page == .lookup(LookupID(4)))
        check("page-lookup-120x40", ScreenRenderer.render(st).surface.text)
    }

    @Test func resultsLogPageAndStatusHint() {
        var st = Self.pageState(width: 80, height: 24)
        let main = ScreenRenderer.render(st).surface.text
        #expect(main.split(separator: "\n").last?.hasSuffix(" L: log") == true)
        _ = st.apply(.key(.char("L")))
        check("page-results-80x24", ScreenRenderer.render(st).surface.text)
    }

    @Test func filteredAndSortedContacts() {
        var st = SampleState.make(width: 80, height: 24)
        st.focus = .buckets
        _ = st.apply(.key(.enter))
        for k: KeyPress in [.char("s"), .char("s"), .char("s"), .char("S")] { _ = st.apply(.key(k)) }
        _ = st.apply(.key(.char("/")))
        for ch in "!10.0.0.5" { _ = st.apply(.key(.char(ch))) }
        _ = st.apply(.key(.enter))
        check("buckets-sorted-filtered-80x24", ScreenRenderer.render(st).surface.text)
    }
}

extension ScreenSnapshotTests {
    /// A result that fits the status line only without the `L: log` hint is shown whole; one
    /// too long for the line is cut and the hint says where the rest is.
    @Test func statusLineHintGivesWayToAResultThatFits() {
        var st = SampleState.make(width: 80, height: 24)
        let fits = String(repeating: "x", count: 76)
        _ = st.apply(.commandResult(CommandOutcome(command: "", succeeded: true, summary: fits)))
        var last = ScreenRenderer.render(st).surface.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix(fits) && !last.contains("L: log"))
        _ = st.apply(.commandResult(CommandOutcome(command: "", succeeded: true, summary: fits + "yyyyyy")))
        last = ScreenRenderer.render(st).surface.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasSuffix(" L: log"))
    }
}
