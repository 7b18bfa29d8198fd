import DHTCore
import DHTWire
import Testing

/// Events carry the `now` of the entry point that produced them, not the time they are read.
@Suite struct EventTimeTests {
    static func timed(_ effects: [Effect]) -> [TimedEvent] {
        effects.flatMap { e -> [TimedEvent] in
            switch e {
            case .event(let t): return [t]
            case .persist(_, let then): return timed(then)
            default: return []
            }
        }
    }

    @Test func eventsAreStampedWithTheEntryPointsNow() {
        let h = EngineHarness()
        let peer = h.peer(1)
        h.now = h.now + .seconds(3)
        let served = Self.timed(h.call("ping", [], from: peer).effects)
        #expect(!served.isEmpty)
        #expect(served.allSatisfy { $0.time == EngineHarness.t0 + .seconds(3) })

        // A call of ours that times out: the timeout event has the tick's now.
        let sent = h.engine.start(.ping(peer.endpoint, layer: 0), id: OperationID(99), now: h.now)
        #expect(Self.timed(sent).allSatisfy { $0.time == h.now })
        let expired = Self.timed(h.tick(advance: .seconds(60)))
        #expect(expired.contains { if case .rpcTimedOut = $0.event { true } else { false } })
        #expect(expired.allSatisfy { $0.time == EngineHarness.t0 + .seconds(63) })
        #expect(h.engine.eventTime == EngineHarness.t0 + .seconds(63))
    }

    @Test func runsCutABatchAtEachNewTime() {
        let t1 = Timestamp(unixSeconds: 1), t2 = Timestamp(unixSeconds: 2)
        let e = NodeEvent.valueExpired(layer: 0, keyText: "k")
        let runs = TimedEvent.runs([TimedEvent(e, at: t1), TimedEvent(e, at: t1), TimedEvent(e, at: t2), TimedEvent(e, at: t1)])
        #expect(runs.map(\.time) == [t1, t2, t1])
        #expect(runs.map(\.events.count) == [2, 1, 1])
    }
}
