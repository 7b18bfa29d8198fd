import ConsoleModel
import DHTCore
import DHTWire
import Testing

/// The attach link in the model: each change is said once in the events pane and at the prompt,
/// the reason is sanitized, and the retry countdown follows the console's time.
@Suite struct LinkStatusTests {
    @Test func detachAndReattachAreEachSaidOnce() {
        var st = ConsoleState()
        _ = st.apply(.tick(Timestamp(seconds: 1000)))
        _ = st.apply(.linkAttached(pid: 7))
        #expect(st.link == .attached(pid: 7))
        #expect(st.events.lines.count == 0)

        _ = st.apply(.linkDetached(reason: "gone\u{1b}[2J", retryIn: 1))
        _ = st.apply(.linkDetached(reason: "gone\u{1b}[2J", retryIn: 2))  // a failed retry: no new line
        #expect(st.link.isStale)
        let texts = st.events.lines.elements.map(\.text)
        #expect(texts.count == 1 && texts[0].hasPrefix("detached from the node: gone\\x1b[2J"), "\(texts)")
        #expect(st.events.lines.elements.map(\.category) == [.error])
        #expect(st.link.detachedText(now: st.now) == "detached: gone\\x1b[2J, retry in 2 s")
        #expect(st.link.detachedText(now: st.now + .seconds(5)) == "detached: gone\\x1b[2J, retrying")

        _ = st.apply(.linkAttached(pid: 8))
        #expect(st.link == .attached(pid: 8) && !st.link.isStale)
        #expect(st.events.lines.elements.map(\.text).last == "attached again to the node (pid 8); fresh snapshot")
        #expect(st.link.detachedText(now: st.now) == nil)
    }
}
