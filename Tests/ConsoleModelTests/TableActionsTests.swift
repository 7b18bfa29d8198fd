import ConsoleModel
import DHTCore
import DHTWire
import Testing

/// Sort, filter, invert and navigation in every table pane (`ConsoleState+Rows`).
@Suite struct TableActionsTests {
    /// Three contacts in one bucket: 2 (rtt 30 ms), 3 (rtt 10 ms, 1 failure), 4 (rtt 20 ms).
    func stateWithContacts() -> ConsoleState {
        var st = freshState()
        var events: [NodeEvent] = []
        for (n, ms) in [(2, 30), (3, 10), (4, 20)] as [(UInt32, Int64)] {
            var c = contact(n, seen: t(Double(n)))
            c.rtt = .milliseconds(ms)
            if n == 3 { c.failures = 1 }
            events.append(.contactAdded(layer: 0, contact: c, bucket: 0))
        }
        _ = st.apply(.events(events, at: t(5)))
        st.focus = .buckets
        _ = st.press(.enter)  // open the bucket
        return st
    }

    @Test func contactsSortByEveryColumnAndReverse() {
        var st = stateWithContacts()
        let bucket = st.buckets.rows(layer: 0)[0].bucket
        #expect(st.buckets.contactRows(bucket).map(\.id) == [id(2), id(3), id(4)])
        var seen: [BucketsPane.ContactColumn: [NodeID]] = [:]
        for _ in BucketsPane.ContactColumn.allCases {
            _ = st.press(.char("s"))
            seen[st.buckets.contactSort.column] = st.buckets.contactRows(bucket).map(\.id)
        }
        #expect(Set(seen.keys) == Set(BucketsPane.ContactColumn.allCases))
        #expect(seen[.rtt] == [id(3), id(4), id(2)])
        #expect(seen[.fail]?.first == id(3))
        #expect(seen[.seen] == [id(4), id(3), id(2)])
        #expect(st.buckets.contactSort.column == .table)
        while st.buckets.contactSort.column != .rtt { _ = st.press(.char("s")) }
        _ = st.press(.char("S"))
        #expect(st.buckets.contactSort.reversed)
        #expect(st.buckets.contactRows(bucket).map(\.id) == [id(2), id(4), id(3)])
        #expect(st.sortLabel(.buckets) == "rtt rev")
    }

    @Test func slashInBucketsFiltersContactsAndNeverActsAsHotkeys() {
        var st = stateWithContacts()
        _ = st.press(.char("/"))
        #expect(st.prompt.mode == .filter(.buckets))
        // "q" and " " would quit and pause if they leaked to the panes.
        st.type(ep(3).description)
        #expect(!st.paused)
        #expect(st.buckets.filter == PaneFilter(text: ep(3).description))
        let bucket = st.buckets.rows(layer: 0)[0].bucket
        #expect(st.buckets.contactRows(bucket).map(\.id) == [id(3)])
        #expect(st.press(.enter) == .redraw)
        #expect(st.prompt.mode == .idle)
        _ = st.press(.char("!"))
        #expect(st.buckets.filter.inverted)
        #expect(st.buckets.contactRows(bucket).map(\.id) == [id(2), id(4)])
        _ = st.press(.escape)  // closes the open bucket first
        _ = st.press(.escape)  // then clears the filter
        #expect(st.buckets.filter.isEmpty)
    }

    @Test func typedBangStartsAnInvertedFilter() {
        var st = stateWithContacts()
        _ = st.press(.char("/"))
        st.type("!" + id(2).hex)
        #expect(st.buckets.filter == PaneFilter(text: id(2).hex, inverted: true))
        _ = st.press(.enter)
        _ = st.press(.char("/"))
        #expect(st.prompt.buffer.line == "!" + id(2).hex)
    }

    @Test func inFlightFiltersSortsAndInverts() {
        var st = freshState()
        st.feed(.rpcSent(rpc(1, method: "ping", at: t(1))), .rpcSent(rpc(2, method: "findNode", at: t(1))), at: t(1))
        st.feed(.rpcAnswered(rpc(1, method: "ping", at: t(1)), latency: .milliseconds(9), error: nil), at: t(1.1))
        st.feed(.rpcAnswered(rpc(2, method: "findNode", at: t(1)), latency: .milliseconds(50), error: nil), at: t(1.2))
        st.focus = .inFlight
        // Newest first by default.
        #expect(st.inFlight.shown(now: st.now).finished.map(\.label) == ["findNode", "ping"])
        while st.inFlight.sort.column != .method { _ = st.press(.char("s")) }
        #expect(st.inFlight.shown(now: st.now).finished.map(\.label) == ["findNode", "ping"])
        _ = st.press(.char("S"))
        #expect(st.inFlight.shown(now: st.now).finished.map(\.label) == ["ping", "findNode"])
        while st.inFlight.sort.column != .latency { _ = st.press(.char("s")) }
        #expect(st.inFlight.shown(now: st.now).finished.map(\.latency) == [.milliseconds(50), .milliseconds(9)])
        _ = st.press(.char("/"))
        st.type("ping")
        _ = st.press(.enter)
        #expect(st.inFlight.shown(now: st.now).finished.map(\.label) == ["ping"])
        _ = st.press(.char("!"))
        #expect(st.inFlight.shown(now: st.now).finished.map(\.label) == ["findNode"])
    }

    @Test func keysSortReversesAndFilterInverts() {
        var st = freshState()
        st.feed(
            .valueStored(layer: 0, key: nil, keyText: "aa", bytes: 10, publisher: nil, from: nil),
            .valueStored(layer: 0, key: nil, keyText: "bb", bytes: 30, publisher: nil, from: nil),
            .valueStored(layer: 0, key: nil, keyText: "cc", bytes: 20, publisher: nil, from: nil))
        st.focus = .keys
        while st.keys.sort != .size { _ = st.press(.char("s")) }
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["bb", "cc", "aa"])
        _ = st.press(.char("S"))
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["aa", "cc", "bb"])
        _ = st.press(.char("/"))
        st.type("b")
        _ = st.press(.enter)
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["bb"])
        _ = st.press(.char("!"))
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["aa", "cc"])
        #expect(st.keys.rowCount(layer: 0) == 2)
    }

    @Test func eventsHomeEndAndEscReturnToTheLiveTail() {
        var st = freshState()
        for i in 0..<50 { st.feed(.valueExpired(layer: 0, keyText: "k\(i)"), at: t(Double(i))) }
        st.paneRows[.events] = 10
        st.focus = .events
        let total = st.events.visible.count
        _ = st.press(.char("g"))
        #expect(st.events.scroll == total - 10)
        #expect(st.events.window(height: 10).first == st.events.visible.first)
        _ = st.press(.char("G"))
        #expect(st.events.scroll == 0)
        _ = st.press(.home)
        _ = st.press(.down)
        #expect(st.events.scroll == total - 11)
        _ = st.press(.end)
        #expect(st.events.scroll == 0)
        _ = st.press(.up, .up)
        #expect(st.events.scroll == 2)
        _ = st.press(.escape)
        #expect(st.events.scroll == 0)
        #expect(st.focus == .events)
    }

    @Test func everyPaneTakesAFilterAndTheRecordPaneFiltersItsLines() {
        var st = freshState()
        for pane in [PaneID.buckets, .inFlight, .keys, .record, .events] {
            st.focus = pane
            _ = st.press(.char("/"))
            #expect(st.prompt.mode == .filter(pane))
            _ = st.press(.escape)
        }
        st.record.show(title: "t", lines: ["alpha", "beta", "gamma"], raw: nil)
        st.focus = .record
        _ = st.press(.char("/"))
        st.type("a")
        _ = st.press(.enter)
        #expect(st.record.content(selected: nil, now: 0).lines == ["alpha", "beta", "gamma"])
        _ = st.press(.char("/"))
        _ = st.press(.backspace)
        st.type("mm")
        _ = st.press(.enter)
        #expect(st.record.content(selected: nil, now: 0).lines == ["gamma"])
        _ = st.press(.char("!"))
        #expect(st.record.content(selected: nil, now: 0).lines == ["alpha", "beta"])
    }
}

extension TableActionsTests {
    @Test func typingAFilterKeepsTheOpenBucketOpen() {
        var st = stateWithContacts()
        _ = st.press(.char("/"))
        st.type("!10.0.0")  // while typed, "!1" hides every contact
        #expect(st.buckets.openRow == 0)
        _ = st.press(.backspace, .backspace, .backspace, .backspace, .backspace, .backspace)
        st.type(id(3).hex)
        _ = st.press(.enter)
        #expect(st.buckets.openRow == 0)
        // "!" is left of "!10.0.0": the contacts without id 3.
        #expect(st.buckets.contactRows(st.buckets.rows(layer: 0)[0].bucket).map(\.id) == [id(2), id(4)])
        _ = st.press(.down)
        #expect(st.buckets.selectedContact(layer: 0)?.contact.id == id(4))
    }
}
