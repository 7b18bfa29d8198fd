import ConsoleModel
import DHTCore
import DHTWire
import Testing

@Suite struct ConsoleStateApplyTests {
    @Test func contactsAddedAndEvictedChangeBucketRowsAndHeaderCounts() {
        var st = freshState()
        st.feed(
            .contactAdded(layer: 0, contact: contact(2, seen: t(1)), bucket: 0),
            .contactAdded(layer: 0, contact: contact(3, seen: t(1)), bucket: 0))
        #expect(st.buckets.rows(layer: 0).count == 1)
        #expect(st.buckets.rows(layer: 0)[0].bucket.contacts.map(\.id) == [id(2), id(3)])
        #expect(st.buckets.healthCounts(layer: 0, now: st.now)[.good] == 2)

        st.feed(.contactFailed(layer: 0, contact: contact(2), failures: 2), at: t(2))
        #expect(st.buckets.healthCounts(layer: 0, now: st.now)[.bad] == 1)

        st.feed(.contactEvicted(layer: 0, contact: contact(2), reason: "failures"), at: t(3))
        #expect(st.buckets.rows(layer: 0)[0].bucket.contacts.map(\.id) == [id(3)])
        #expect(st.buckets.healthCounts(layer: 0, now: st.now) == [.good: 1, .questionable: 0, .bad: 0])
    }

    @Test func headerSizeEstimateIsRaisedToContactsAddedSinceTheSnapshot() {
        var st = freshState()
        #expect(st.sizeEstimate(layer: 0) == nil)  // the snapshot had no estimate
        #expect(st.sizeGuess(layer: 0) == nil)  // no contact, no guess
        st.header.sizeEstimates[0] = NetworkSizeEstimate(nodes: 2, low: 1.5, high: 3, samples: 3)
        #expect(st.sizeEstimate(layer: 0)?.nodes == 2)  // no contacts yet: this node alone
        st.feed(
            .contactAdded(layer: 0, contact: contact(2), bucket: 0),
            .contactAdded(layer: 0, contact: contact(3), bucket: 0),
            .contactAdded(layer: 0, contact: contact(4), bucket: 0))
        // Before any estimate: one bucket holding 3 of k = 4 guesses 3, raised to 3 contacts + us.
        #expect(st.buckets.networkSizeEstimate(layer: 0) == 3)
        #expect(st.sizeGuess(layer: 0) == 4)
        let raised = st.sizeEstimate(layer: 0)
        #expect(raised?.nodes == 4)
        #expect(raised?.low == 4)
        #expect(raised?.high == 4)
        st.header.sizeEstimates[0] = NetworkSizeEstimate(nodes: 900, low: 700, high: 1200, samples: 40)
        #expect(st.sizeEstimate(layer: 0)?.nodes == 900)  // a bigger estimate stands
        #expect(st.sizeEstimate(layer: 1) == nil)
    }

    @Test func bucketSplitSeparatesContactsByTheNextBit() {
        var st = freshState()
        st.feed(
            .contactAdded(layer: 0, contact: contact(2), bucket: 0),
            .contactAdded(layer: 0, contact: contact(3, high: 1 << 63), bucket: 0))
        st.feed(.bucketSplit(layer: 0, bucket: 0, prefixLength: 1))
        let rows = st.buckets.rows(layer: 0)
        #expect(rows.map(\.bucket.prefixLength) == [1, 1])
        #expect(rows[0].bucket.contacts.map(\.id) == [id(2)])
        #expect(rows[1].bucket.contacts.map(\.id) == [id(3, high: 1 << 63)])
    }

    @Test func rpcMovesFromPendingToFinishedWithLatency() {
        var st = freshState()
        st.feed(.rpcSent(rpc(1, at: t(1))), .rpcSent(rpc(2, at: t(1))), at: t(1))
        #expect(st.inFlight.pendingSorted.count == 2)
        st.feed(.rpcAnswered(rpc(1, at: t(1)), latency: .milliseconds(42), error: nil), at: t(1.042))
        st.feed(.rpcTimedOut(rpc(2, at: t(1))), at: t(6))
        #expect(st.inFlight.pending.isEmpty)
        let done = st.inFlight.finished.elements
        #expect(done.map(\.result) == [.ok, .timeout])
        #expect(done[0].latency == .milliseconds(42))
        #expect(done[1].latency == .seconds(5))
        #expect(st.header.timeoutShare() == 0.5)
    }

    @Test func lookupRoundsUpdateThenFinish() {
        var st = freshState()
        var s = LookupSummary(id: LookupID(7), layer: 0, target: id(9), purpose: .findNode, startedAt: t(1))
        st.feed(.lookupStarted(s))
        s.rounds = 2
        s.responders = 5
        s.closestCommonPrefix = 12
        st.feed(.lookupProgressed(s))
        #expect(st.inFlight.lookups[LookupID(7)]?.rounds == 2)
        s.termination = .converged
        s.elapsed = .milliseconds(4)
        st.feed(.lookupFinished(s))
        #expect(st.inFlight.lookups.isEmpty)
        #expect(st.inFlight.finished.last?.result == .lookup(.converged))
        #expect(st.events.lines.last?.text.contains("converged after 2 rounds") == true)
    }

    @Test func storedValueAppearsInKeysPaneAndExpiryRemovesIt() {
        var st = freshState()
        st.feed(.valueStored(layer: 0, key: nil, keyText: "abc\u{1b}[31m", bytes: 120, publisher: id(5), from: ep(5)))
        let rows = st.keys.rows(layer: 0)
        #expect(rows.map(\.keyText) == ["abc\\x1b[31m"])
        #expect(rows[0].size == 120)
        st.feed(.valueExpired(layer: 0, keyText: "abc\u{1b}[31m"))
        #expect(st.keys.rows(layer: 0).isEmpty)
    }

    @Test func keysSortCyclesAndFilterNarrows() {
        var st = freshState()
        st.feed(.valueStored(layer: 0, key: nil, keyText: "bbb", bytes: 10, publisher: nil, from: nil), at: t(1))
        st.feed(.valueStored(layer: 0, key: nil, keyText: "aaa", bytes: 99, publisher: nil, from: nil), at: t(5))
        st.feed(.valueStored(layer: 0, key: nil, keyText: "ccc", bytes: 50, publisher: nil, from: nil), at: t(6))
        // Three keys whose age, key and size orders all differ, so a sort that does nothing fails.
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["ccc", "aaa", "bbb"])  // age: newest first
        _ = st.press(.char("3"), .char("s"))
        #expect(st.keys.sort == .expires)
        _ = st.press(.char("s"), .char("s"))
        #expect(st.keys.sort == .key)
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["aaa", "bbb", "ccc"])
        _ = st.press(.char("s"))
        #expect(st.keys.sort == .size)
        #expect(st.prompt.message == "Stored keys sorted by size")
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["aaa", "ccc", "bbb"])  // largest first
        _ = st.press(.char("/"))
        st.type("bb")
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["bbb"])
        _ = st.press(.enter)
        #expect(st.keys.filter == "bb")
        _ = st.press(.escape)
        #expect(st.keys.filter == "")
    }

    @Test func eventsFilterAndBoundedHistory() {
        var st = freshState()
        for i in 0..<2100 { st.feed(.rpcSent(rpc(UInt32(i), method: i % 2 == 0 ? "ping" : "store"))) }
        #expect(st.events.lines.count == 2000)
        #expect(st.events.lines.dropped > 0)
        st.events.filter = "store"
        #expect(st.events.visible.allSatisfy { $0.text.contains("store") })
        #expect(st.events.window(height: 5).count == 5)
    }

    @Test func pauseDefersNodeInputsAndResumeFoldsThem() {
        var st = freshState()
        _ = st.press(.char(" "))
        #expect(st.paused)
        st.feed(.valueStored(layer: 0, key: nil, keyText: "k", bytes: 1, publisher: nil, from: nil))
        #expect(st.keys.rows(layer: 0).isEmpty)
        _ = st.press(.char(" "))
        #expect(st.keys.rows(layer: 0).count == 1)
    }

    @Test func requestServedMarksReachableAndCountsRateIn() {
        var st = freshState()
        #expect(!st.header.reachable)
        st.feed(.requestServed(ServedRequest(layer: 0, method: "ping", from: ep(4), sender: id(4), question: false, error: nil)))
        #expect(st.header.reachable)
    }

    @Test func nodeCommandsRunOnTheLayerShownOrTheOneNamed() throws {
        var st = freshState()
        _ = st.press(.char(":"))
        st.type("layer 3")
        _ = st.press(.enter)
        _ = st.press(.char(":"))
        st.type("crawl")
        #expect(st.press(.enter) == .runCommand(.crawl(CrawlOptions()), layer: 3))
        _ = st.apply(.commandResult(CommandOutcome(succeeded: true, summary: "crawl of layer 3: 1 node")))
        _ = st.press(.char(":"))
        st.type("discover 9 2")
        #expect(st.press(.enter) == .runCommand(.discover(DiscoverOptions(count: 2)), layer: 9))
        #expect(st.prompt.running == "discover 9 2")
    }

    @Test func commandFlowReturnsIntentAndShowsCost() throws {
        var st = freshState()
        _ = st.press(.char(":"))
        st.type("find abc")
        #expect(st.press(.enter) == .runCommand(.find(try KeyArgument("abc")), layer: 0))
        #expect(st.prompt.running == "find abc")
        _ = st.apply(.commandProgress("round 1"))
        #expect(st.prompt.progress == "round 1")
        _ = st.apply(.commandResult(CommandOutcome(succeeded: true, summary: "found after 3 rounds, 11 RPCs, 4.2 ms")))
        #expect(st.prompt.message == "find abc: found after 3 rounds, 11 RPCs, 4.2 ms")
        #expect(st.prompt.running == nil)
    }

    @Test func readOnlyRefusesSet() {
        var st = ConsoleState(options: .init(readOnly: true))
        _ = st.press(.char(":"))
        st.type("set k v")
        #expect(st.press(.enter) == .redraw)
        #expect(st.prompt.message == "read-only mode: set and delete are disabled")
        #expect(st.prompt.tone == .error)
    }

    @Test func focusKeysAndQuit() {
        var st = freshState()
        _ = st.press(.tab)
        #expect(st.focus == .inFlight)
        _ = st.press(.backTab, .backTab)
        #expect(st.focus == .events)
        _ = st.press(.char("4"))
        #expect(st.focus == .record)
        #expect(st.press(.char("q")) == .quit)
        #expect(st.press(.ctrl("c")) == .quit)
    }

    @Test func tooSmallBelow60x20() {
        var st = freshState()
        _ = st.apply(.resize(width: 60, height: 20))
        #expect(!st.tooSmall)
        _ = st.apply(.resize(width: 59, height: 20))
        #expect(st.tooSmall)
        #expect(st.tooSmallMessage == "terminal too small (59×20, needs 60×20)")
        _ = st.apply(.resize(width: 200, height: 19))
        #expect(st.tooSmall)
    }
}
