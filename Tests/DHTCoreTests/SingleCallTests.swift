import DHTCore
import DHTWire
import Testing

/// The engine's `call` operation (one RPC to one address, its raw answer) and the RPC latency
/// histograms it feeds.
@Suite struct SingleCallTests {
    @Test func aCallHandsOverThePeersAnswerAndItsLatency() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let op = OperationID(9)
        let sent = try #require(
            EngineClientTests.calls(h.engine.start(.call(p.endpoint, method: "request", args: ["idurl"], layer: 0), id: op, now: h.now)).first)
        #expect(sent.message.call?.method == "request")
        #expect(sent.message.call?.args == ["idurl"])
        h.now = h.now + .milliseconds(3)
        let value = BValue.dict([.string("idurl"): "http://x/a.xml", .int(0): .int(0)])
        let done = EngineClientTests.completed(EngineClientTests.answer(h, sent.message.rpcID, value, from: p))
        guard case .answer(let reply, let got)? = done.first?.1, done.first?.0 == op else {
            Issue.record("no answer: \(done)")
            return
        }
        #expect(got == value)
        #expect(reply.id == p.id && reply.rtt == .milliseconds(3))
        let histogram = try #require(h.engine.rpcLatency["request"])
        #expect(histogram.count == 1)
        #expect(histogram.quantileMs(0.5) == 3)
    }

    @Test func aCallThatTimesOutFails() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        _ = h.engine.start(.call(p.endpoint, method: "findNode", args: [.bytes(p.id.hexUTF8)], layer: 0), id: OperationID(2), now: h.now)
        h.now = h.now + .seconds(6)
        let done = EngineClientTests.completed(h.engine.tick(now: h.now))
        guard case .failed(let f)? = done.first?.1 else {
            Issue.record("no failure: \(done)")
            return
        }
        #expect(f.code == .timeout)
        #expect(h.engine.rpcLatency.isEmpty)
    }

    @Test func histogramBucketsAreBoundedAndQuantilesNeverUnderReport() {
        var h = LatencyHistogram()
        #expect(h.quantileMs(0.5) == nil)
        for ms in [0.05, 0.3, 0.3, 0.9, 4, 4, 4, 40, 400, 20_000] { h.record(.nanoseconds(Int64(ms * 1e6))) }
        h.record(.nanoseconds(-5))
        #expect(h.counts.count == LatencyHistogram.boundsMs.count + 1)
        #expect(h.count == 11)
        #expect(h.cumulative.last == 11)
        #expect(h.counts.last == 1)  // the 20 s sample
        #expect(h.quantileMs(0.5) == 5)  // rank 6 lies in the (2.5, 5] bucket
        #expect(h.quantileMs(1) == 20_000)
        #expect(LatencyHistogram.key("evil-method-name") == "other")
        #expect(LatencyHistogram.key("findNode") == "findNode")
    }
}
