import Foundation
import ConsoleModel
import ConsoleTUI
import DHTCore
import DHTWire
import Testing

/// `dhtop attach` losing its node: the header says `detached: …` in the bad color at once and no
/// longer shows a live layer state; the node's panes are tagged STALE; reattached, all is live.
@Suite struct LinkRenderTests {
    static func lines(_ st: ConsoleState) -> [Substring] {
        ScreenRenderer.render(st).surface.text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    @Test(arguments: [(80, 24), (120, 34)])
    func detachedThenReattached(size: (Int, Int)) {
        var st = SampleState.make(width: size.0, height: size.1)
        _ = st.apply(.linkAttached(pid: 42))
        #expect(Self.lines(st)[0].contains("L0 attached"))
        #expect(!Self.lines(st).joined().contains("STALE"))

        _ = st.apply(.linkDetached(reason: "the node closed the connection", retryIn: 4))
        let frame = ScreenRenderer.render(st).surface
        let header = String(Self.lines(st)[0])
        #expect(header.contains("detached: the node closed the"), "\(header)")
        #expect(!header.contains("attached ") && !header.contains("L0 attached"), "\(header)")
        let column = header.distance(from: header.startIndex, to: header.range(of: "detached")!.lowerBound)
        #expect(frame[column, 0].role == .bad)
        #expect(Self.lines(st).joined(separator: "\n").matches(of: /STALE/).count == 3)
        if size.0 >= 120 { #expect(header.contains("retry in 4 s")) }

        _ = st.apply(.tick(st.now + .seconds(3)))
        if size.0 >= 120 { #expect(String(Self.lines(st)[0]).contains("retry in 1 s")) }

        _ = st.apply(.linkAttached(pid: 43))
        #expect(Self.lines(st)[0].contains("L0 attached"))
        #expect(!Self.lines(st).joined().contains("STALE"))
        #expect(!Self.lines(st)[0].contains("detached"))
    }

    /// The embedded console has no link: nothing changes in its header.
    @Test func theEmbeddedConsoleIsNeverDetached() {
        let st = SampleState.make(width: 120, height: 34)
        #expect(st.link == .local)
        #expect(Self.lines(st)[0].contains("L0 attached"))
    }
}
