import ConsoleModel
import DHTCore
import DHTWire
import NodeAPI
import Testing

/// Enter on a contact and on a lookup, the pages they open, their actions, and the results log.
@Suite struct RowDetailsTests {
    @Test func enterOnAContactShowsItsDetailsAndRTTHistory() {
        var st = freshState()
        var c = contact(5, seen: t(1))
        c.rtt = .milliseconds(12)
        let call = RPCInfo(
            rpcID: id(900), method: "ping", peer: c.endpoint, peerID: c.id, layer: 0, sentAt: t(1), timeout: .seconds(5),
            attempt: 1, lookup: nil)
        st.feed(.contactAdded(layer: 0, contact: c, bucket: 0), at: t(1))
        st.feed(.rpcAnswered(call, latency: .milliseconds(12), error: nil), at: t(2))
        st.feed(.rpcAnswered(call, latency: .milliseconds(30), error: nil), at: t(3))
        st.feed(.rpcTimedOut(call), at: t(9))
        st.focus = .buckets
        _ = st.press(.enter, .enter)
        #expect(st.page == .contact(layer: 0, id: c.id))
        let text = st.pageContent!.lines.map(\.text)
        #expect(text.contains("id          \(c.id.hex)"))
        #expect(text.contains("address     \(c.endpoint)"))
        #expect(text.contains { $0.hasPrefix("layer       0    bucket 0") })
        #expect(text.contains { $0.hasPrefix("failures    0") })
        #expect(text.contains { $0.contains("RTT history: 2 answered, min/avg/max 12.0/21.0/30.0 ms, 1 unanswered") })
        // Newest first: the timeout, then 30 ms, then 12 ms.
        let calls = text.filter { $0.hasPrefix("  ") && $0.contains("ping") }
        #expect(calls.count == 3)
        #expect(calls[0].hasSuffix("timeout") && calls[1].hasSuffix("30.0 ms") && calls[2].hasSuffix("12.0 ms"))
        _ = st.press(.escape)
        #expect(st.page == nil)
        #expect(st.buckets.openRow == 0)
    }

    @Test func contactActionsPingAndFindRunThroughTheBackend() {
        var st = freshState()
        let c = contact(6, seen: t(1))
        st.feed(.contactAdded(layer: 0, contact: c, bucket: 0), at: t(1))
        st.focus = .buckets
        _ = st.press(.enter, .enter)
        #expect(st.press(.char("p")) == .runCommand(.ping(c.endpoint), layer: 0))
        #expect(st.page == nil)
        _ = st.apply(.commandResult(CommandOutcome(command: "ping \(c.endpoint)", succeeded: true, summary: "pong")))
        _ = st.press(.enter)
        let find = try! KeyArgument.findTarget(c.id.hex)
        #expect(st.press(.char("f")) == .runCommand(.find(find), layer: 0))
        _ = st.apply(.commandResult(CommandOutcome(command: "find", succeeded: true, summary: "found")))
        _ = st.press(.enter)
        #expect(st.press(.char("x")) == .runCommand(.forget(c.id), layer: 0))
    }

    @Test func historyIsBoundedPerContactAndInContacts() {
        var h = ContactHistory()
        for i in 0..<(ContactHistory.capacity + 10) {
            let r = RPCInfo(
                rpcID: id(1), method: "ping", peer: ep(1), peerID: id(UInt32(i)), layer: 0, sentAt: t(0),
                timeout: .seconds(5), attempt: 1, lookup: nil)
            h.fold(.rpcAnswered(r, latency: .milliseconds(1), error: nil), at: t(Double(i)))
        }
        // Full, it forgets the stalest eighth at once.
        #expect(h.count <= ContactHistory.capacity && h.count > ContactHistory.capacity * 7 / 8)
        #expect(h.samples(layer: 0, id: id(0)).isEmpty)  // the stalest went first
        let r = rpc(7)
        for i in 0..<40 { h.fold(.rpcTimedOut(r), at: t(Double(10_000 + i))) }
        #expect(h.samples(layer: 0, id: id(7)).count == ContactHistory.samplesPerContact)
    }

    /// A lookup: round 1 asks 2 and 3 (3 times out), round 2 asks 4.
    func stateWithLookup() -> (ConsoleState, LookupSummary) {
        var st = freshState()
        let target = id(7)
        var s = LookupSummary(id: LookupID(11), layer: 0, target: target, purpose: .findNode, startedAt: t(1))
        func q(_ n: UInt32, at: Double) -> RPCInfo {
            RPCInfo(
                rpcID: id(500 + n), method: "findNode", peer: ep(n), peerID: id(n), layer: 0, sentAt: t(at),
                timeout: .seconds(5), attempt: 1, lookup: s.id)
        }
        st.feed(.lookupStarted(s), .rpcSent(q(2, at: 1)), .rpcSent(q(3, at: 1)), at: t(1))
        s.rounds = 1
        st.feed(.lookupProgressed(s), at: t(1))
        st.feed(.rpcAnswered(q(2, at: 1), latency: .milliseconds(8), error: nil), .rpcSent(q(4, at: 1.008)), at: t(1.008))
        s.rounds = 2
        st.feed(.lookupProgressed(s), at: t(1.008))
        st.feed(.rpcTimedOut(q(3, at: 1)), at: t(2))
        st.feed(.rpcAnswered(q(4, at: 1.008), latency: .milliseconds(5), error: nil), at: t(2.1))
        s.termination = .converged
        s.rpcsSent = 3
        s.responders = 2
        s.timeouts = 1
        s.elapsed = .milliseconds(1100)
        st.feed(.lookupFinished(s), at: t(2.1))
        return (st, s)
    }

    @Test func lookupTraceKeepsRoundsWhoWasAskedAndHowLong() {
        let (st, s) = stateWithLookup()
        let trace = st.lookupTraces.trace(s.id)!
        #expect(trace.finished)
        let rounds = trace.rounds
        #expect(rounds.map(\.round) == [1, 2])
        #expect(rounds[0].queries.map(\.peerID) == [id(2), id(3)])
        #expect(rounds[0].queries.map(\.state) == [.answered(.milliseconds(8)), .timeout])
        #expect(rounds[1].queries.map(\.state) == [.answered(.milliseconds(5))])
    }

    @Test func enterOnAFinishedLookupShowsItsRounds() {
        var (st, s) = stateWithLookup()
        st.focus = .inFlight
        // The finished rows: newest first; the lookup finished last.
        #expect(st.press(.enter) == .redraw)
        #expect(st.page == .lookup(s.id))
        let text = st.pageContent!.lines.map(\.text)
        #expect(text.contains { $0.hasPrefix("state       converged after 2 rounds, 3 RPCs, 2 answered, 1 timed out") })
        #expect(text.contains("Round 1: 2 asked, 1 answered, closest \(id(2).commonPrefixLength(with: id(7))) bits"))
        #expect(text.contains("Round 2: 1 asked, 1 answered, closest \(id(4).commonPrefixLength(with: id(7))) bits"))
        let timeout = text.first { $0.contains(ep(3).description) }
        #expect(timeout?.contains("timeout") == true)
        let answered = text.first { $0.contains(ep(4).description) }
        #expect(answered?.contains("answered") == true && answered?.contains("5.0ms") == true)
    }

    @Test func lookupTracesAreBounded() {
        var traces = LookupTraces()
        for i in 0..<(LookupTraces.capacity + 5) {
            let s = LookupSummary(id: LookupID(UInt64(i)), layer: 0, target: id(1), purpose: .refresh, startedAt: t(0))
            traces.fold(.lookupFinished(s))
        }
        #expect(traces.traces.count == LookupTraces.capacity)
        #expect(traces.trace(LookupID(0)) == nil)
        var s = LookupSummary(id: LookupID(999), layer: 0, target: id(1), purpose: .refresh, startedAt: t(0))
        traces.fold(.lookupStarted(s))
        for n in 0..<(LookupTraces.queriesPerLookup + 3) {
            traces.fold(
                .rpcSent(
                    RPCInfo(
                        rpcID: id(UInt32(n), high: 9), method: "findNode", peer: ep(1), peerID: nil, layer: 0, sentAt: t(0),
                        timeout: .seconds(5), attempt: 1, lookup: s.id)))
        }
        s.rounds = 1
        traces.fold(.lookupProgressed(s))
        #expect(traces.trace(s.id)?.queries.count == LookupTraces.queriesPerLookup)
        #expect(traces.trace(s.id)?.queriesDropped == 3)
    }

    @Test func resultsLogKeepsEveryResultWholeAndWritesPlainText() {
        var st = freshState()
        _ = st.press(.char(":"))
        st.type("get somekey")
        #expect(st.press(.enter) != .redraw)
        let detail = (0..<50).map { "line \($0) " + String(repeating: "x", count: 300) }
        _ = st.apply(.commandResult(CommandOutcome(command: "get somekey", succeeded: true, summary: "found", detail: detail)))
        _ = st.press(.char(":"))
        st.type("nonsense words")
        _ = st.press(.enter)
        #expect(st.results.count == 2)
        #expect(st.results.entries.elements[0].lines == detail)
        _ = st.press(.char("L"))
        #expect(st.page == .resultsLog)
        #expect(st.pageScroll >= st.pageMaxScroll)  // opens at its end
        guard case .saveResultsLog(let text) = st.press(.char("w")) else {
            Issue.record("w did not ask to write the log")
            return
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0].hasSuffix(" ok get somekey: found"))
        #expect(lines[1] == "  " + detail[0])
        #expect(lines[51].contains("FAILED nonsense words: "))
        #expect(text.hasSuffix("\n"))
    }

    @Test func resultsLogIsBounded() {
        var log = ResultsLog()
        for i in 0..<(ResultsLog.capacity + 3) { log.add(command: "c\(i)", succeeded: true, summary: "s", at: t(0)) }
        #expect(log.count == ResultsLog.capacity)
        #expect(log.lines.first == "(3 older results dropped; the log keeps \(ResultsLog.capacity))")
        log.add(command: "big", succeeded: true, summary: "s", lines: Array(repeating: "l", count: ResultsLog.linesPerEntry + 7), at: t(0))
        #expect(log.latest?.lines.count == ResultsLog.linesPerEntry)
        #expect(log.lines.last == "  (7 more lines not kept)")
    }
}

extension RowDetailsTests {
    /// `ping HOST:PORT` calls an address, not an id: its answer still counts for the contact there.
    @Test func aPingByAddressCountsForTheContactAtThatAddress() {
        var st = freshState()
        let c = contact(8, seen: t(1))
        st.feed(.contactAdded(layer: 0, contact: c, bucket: 0), at: t(1))
        let ping = RPCInfo(
            rpcID: id(901), method: "ping", peer: c.endpoint, peerID: nil, layer: 0, sentAt: t(2), timeout: .seconds(5),
            attempt: 1, lookup: nil)
        st.feed(.rpcAnswered(ping, latency: .milliseconds(3), error: nil), at: t(2))
        #expect(st.contactHistory.samples(layer: 0, id: c.id).map(\.outcome) == [.answered(.milliseconds(3))])
        let stranger = RPCInfo(
            rpcID: id(902), method: "ping", peer: ep(77), peerID: nil, layer: 0, sentAt: t(2), timeout: .seconds(5),
            attempt: 1, lookup: nil)
        st.feed(.rpcAnswered(stranger, latency: .milliseconds(3), error: nil), at: t(2))
        #expect(st.contactHistory.count == 1)
    }
}

extension RowDetailsTests {
    @Test func enterOnAnRPCOpensThePageOfTheContactItWentTo() {
        var st = freshState()
        let c = contact(9, seen: t(1))
        st.feed(.contactAdded(layer: 0, contact: c, bucket: 0), at: t(1))
        st.feed(.rpcSent(rpc(9)), .rpcSent(rpc(10)), at: t(1))
        st.focus = .inFlight
        _ = st.press(.enter)
        #expect(st.page == .contact(layer: 0, id: c.id))
        _ = st.press(.escape, .down)
        // Contact 10 is not in the table: nothing to open.
        #expect(st.press(.enter) == .none)
        #expect(st.page == nil)
        st.feed(.rpcAnswered(rpc(9), latency: .milliseconds(2), error: nil), at: t(2))
        _ = st.press(.char("G"))
        _ = st.press(.enter)
        #expect(st.page == .contact(layer: 0, id: c.id))
    }
}

extension RowDetailsTests {
    @Test func longResultLinesContinueOnTheNextLinesOfThePage() {
        var st = freshState()
        let long = String(repeating: "0123456789", count: 20)
        _ = st.apply(.commandResult(CommandOutcome(command: "get k", succeeded: true, summary: "found", detail: [long])))
        _ = st.press(.char("L"))
        let lines = st.pageContent!.lines.map(\.text)
        #expect(lines[1] == "  " + long.prefix(77))
        #expect(lines[2] == "    " + long.dropFirst(77).prefix(75))
        #expect(lines[3] == "    " + long.dropFirst(77 + 75))
    }
}

extension RowDetailsTests {
    @Test func progressLinesOfARunningCommandGoIntoItsResult() {
        var st = freshState()
        _ = st.apply(.commandProgress("round 1: 3 RPCs"))
        _ = st.apply(.commandProgress("round 2: 2 RPCs"))
        _ = st.apply(.commandResult(CommandOutcome(command: "find x", succeeded: true, summary: "done", detail: ["a"])))
        #expect(st.results.latest?.lines == ["… round 1: 3 RPCs", "… round 2: 2 RPCs", "a"])
        _ = st.apply(.commandResult(CommandOutcome(command: "ping", succeeded: true, summary: "pong")))
        #expect(st.results.latest?.lines == [])
    }
}
