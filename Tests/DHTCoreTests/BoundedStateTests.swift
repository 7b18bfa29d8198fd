import DHTCore
import DHTWire
import Testing

/// Finding 4: nothing a peer names grows a map. Unknown methods are counted together, strings
/// kept in events are cut to their budgets, and fire-and-forget calls have a ceiling.
@Suite struct BoundedStateTests {
    @Test func inventedMethodNamesShareOneCounter() throws {
        var config = EngineConfiguration()
        config.rateLimit = nil  // one address sends them all, as from 127.0.0.1 in the attack
        let h = EngineHarness(configuration: config)
        let peer = h.peer(1)
        var longest = 0
        for i in 0..<20_000 {
            let name = "m\(i)-" + String(repeating: "x", count: 3_000)
            let (rpc, effects) = h.call(name, [], from: peer)
            let reply = try #require(h.reply(to: rpc, in: effects))
            #expect(reply.message.errorPair?.0 == "builtins.AttributeError")
            for case .requestServed(let s) in EngineHarness.events(effects) { longest = max(longest, s.method.utf8.count) }
        }
        for method in MethodName.known { _ = h.call(method, [], from: peer) }
        let calls = try #require(h.engine.counters.layers[0]?.rpcCalls)
        #expect(calls[MethodName.other] == 20_000)
        #expect(Set(calls.keys).isSubset(of: MethodName.known.union([MethodName.other])))
        #expect(calls.count == MethodName.known.count + 1)
        #expect(longest <= BoundedText.methodBytes)
        #expect(h.engine.stateSizes.longestCounterKey <= 16)
    }

    @Test func aHugeErrorTextIsCutInEventsAndResults() throws {
        let h = EngineHarness()
        let peer = h.peer(2)
        let effects = h.engine.start(.ping(peer.endpoint, layer: 0), id: OperationID(3), now: h.now)
        let ping = try #require(EngineHarness.sent(effects).first)
        let text = String(repeating: "é", count: 4_000)
        let answer = WireMessage(
            rpcID: ping.message.rpcID, sender: peer.id, layer: 0,
            body: .error(type: "builtins." + String(repeating: "E", count: 3_000), message: text))
        var out: [Effect] = []
        for d in try MessageCodec.datagrams(for: answer) { out += h.receive(d, from: peer.endpoint) }
        var sawAnswer = false, sawResult = false
        for e in out {
            if case .event(let t) = e, case .rpcAnswered(_, _, let error?) = t.event {
                sawAnswer = true
                #expect(error.utf8.count <= BoundedText.errorBytes)
            }
            if case .completed(_, .failed(let f)) = e {
                sawResult = true
                #expect(f.message.utf8.count <= BoundedText.errorBytes)
            }
        }
        #expect(sawAnswer && sawResult)
        #expect(h.engine.counters.layers[0]?.rpcResponses.keys.sorted() == ["ping"])
    }

    @Test func truncationKeepsWholeCharactersWithinTheBudget() {
        #expect(BoundedText.truncate("short", maxBytes: 10) == "short")
        let cut = BoundedText.truncate(String(repeating: "é", count: 100), maxBytes: 11)
        #expect(cut.utf8.count <= 11)
        #expect(cut.hasSuffix("…"))
        #expect(cut.dropLast().allSatisfy { $0 == "é" })
    }

    @Test func fireAndForgetCallsStopAtThePendingBudget() throws {
        var config = EngineConfiguration()
        config.maxPendingCalls = 2
        let h = EngineHarness(configuration: config)
        // Records held here are handed to every new contact closer to them (replication), so
        // the pending table would grow with every new peer without the budget.
        let writer = h.peer(1)
        for i in 0..<20 {
            let value = BValue.string("{\"type\":\"skip_validation\",\"n\":\(i)}")
            _ = h.ask("store", [.bytes(DHTKey.hash("budget-\(i)").hexUTF8), value], from: writer)
        }
        for i in 2...400 { _ = h.ask("ping", [], from: h.peer(i)) }
        let sizes = h.engine.stateSizes
        #expect(sizes.pendingCalls <= config.maxPendingCalls)
        #expect(h.engine.skippedCalls > 0)
    }

    @Test func saturatingArithmeticNeverTraps() {
        #expect(Saturating.add(.max, 1) == .max)
        #expect(Saturating.add(.min, -1) == .min)
        #expect(Saturating.subtract(.min, 1) == .min)
        #expect(Saturating.subtract(0, .min) == .max)
        #expect(Saturating.subtract(5, 3) == 2)
        #expect(Saturating.multiply(.max, -2) == .min)
        #expect(Saturating.multiply(.min, -1) == .max)
        #expect(Saturating.clamp(.max, to: 0...10) == 10)
        #expect(Saturating.int(.min, in: 0...100) == 0)
        #expect(RecordBounds.originallyPublished(.min, now: 1_000) == 1_000 - RecordBounds.maxAgeSeconds)
        #expect(RecordBounds.originallyPublished(.max, now: 1_000) == 1_000)
        #expect(RecordBounds.age(at: .min, originallyPublished: .max) == 0)
        #expect(RecordBounds.age(at: .max, originallyPublished: .min) == .max)
    }
}
