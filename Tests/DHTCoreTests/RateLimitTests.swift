import DHTCore
import DHTWire
import Testing

/// The per-source rate limit: a flooding address is throttled while another is still answered.
/// Engine-level with hand-driven time, so deterministic.
@Suite struct RateLimitTests {
    /// Counts the pongs among `effects` sent to `peer`.
    static func pongs(_ effects: [Effect], to peer: EngineHarness.Peer) -> Int {
        EngineHarness.sent(effects).filter { $0.to == peer.endpoint && $0.message.result == "pong" }.count
    }

    static func rateLimitedEvents(_ effects: [Effect]) -> Int {
        EngineHarness.events(effects).filter {
            if case .datagramDropped(_, _, .rateLimited) = $0 { return true } else { return false }
        }.count
    }

    @Test func floodFromOneSourceDoesNotStarveAnother() {
        let h = EngineHarness()
        let flooder = h.peer(1), honest = h.peer(2)
        var flooderPongs = 0, honestPongs = 0, honestAsked = 0, events = 0
        // 20,000 pings 10 µs apart (100,000 a second) from one address; one honest ping per 100.
        for i in 0..<20_000 {
            h.now = h.now + .microseconds(10)
            let (_, e) = h.call("ping", [], from: flooder)
            flooderPongs += Self.pongs(e, to: flooder)
            events += Self.rateLimitedEvents(e)
            if i % 100 == 0 {
                honestAsked += 1
                honestPongs += Self.pongs(h.call("ping", [], from: honest).effects, to: honest)
            }
        }
        let config = RateLimitConfiguration()
        // The burst plus 0.2 s of refill, nothing more.
        #expect(flooderPongs >= Int(config.burst) && flooderPongs <= Int(config.burst) + 45, "flooder got \(flooderPongs)")
        #expect(honestPongs == honestAsked, "honest source answered \(honestPongs)/\(honestAsked)")
        let dropped = h.engine.counters.dropped["rate_limited"] ?? 0
        #expect(dropped == 20_000 - flooderPongs)
        // The event stream is not flooded: one event per second per source.
        #expect(events == 1)
        let status = h.engine.rateLimitStatus
        #expect(status.limitedSources.first?.address == flooder.endpoint.host)
        #expect(status.limitedSources.first?.dropped == dropped)
        #expect(status.limitedSources.count == 1)

        // A second later the flooder gets one more event and refilled tokens.
        h.now = h.now + .seconds(1)
        var more = 0
        for _ in 0..<1_000 { more += Self.pongs(h.call("ping", [], from: flooder).effects, to: flooder) }
        #expect(more == 200)
    }

    @Test func dropEventsAreThrottledPerSecond() {
        var config = EngineConfiguration()
        config.rateLimit = RateLimitConfiguration(perSecond: 10, burst: 10)
        let h = EngineHarness(configuration: config)
        let p = h.peer(7)
        var events = 0
        // 5 simulated seconds at 1,000 pings a second.
        for _ in 0..<5_000 {
            h.now = h.now + .milliseconds(1)
            events += Self.rateLimitedEvents(h.call("ping", [], from: p).effects)
        }
        #expect(events >= 4 && events <= 6, "\(events) drop events")
    }

    @Test func loopbackIsExemptUnlessConfigured() {
        let exempt = EngineHarness()
        let local = EngineHarness.Peer(id: exempt.random.nodeID(), endpoint: Endpoint(host: "127.0.0.1", port: 5000)!)
        var answered = 0
        for _ in 0..<1_000 { answered += Self.pongs(exempt.call("ping", [], from: local).effects, to: local) }
        #expect(answered == 1_000)

        var config = EngineConfiguration()
        config.rateLimit?.exemptLoopback = false
        let strict = EngineHarness(configuration: config)
        answered = 0
        for _ in 0..<1_000 { answered += Self.pongs(strict.call("ping", [], from: local).effects, to: local) }
        #expect(answered == 400)
    }

    @Test func disabledLimitAnswersEverything() {
        var config = EngineConfiguration()
        config.rateLimit = nil
        let h = EngineHarness(configuration: config)
        let p = h.peer(3)
        var answered = 0
        for _ in 0..<2_000 { answered += Self.pongs(h.call("ping", [], from: p).effects, to: p) }
        #expect(answered == 2_000)
        #expect(h.engine.counters.dropped["rate_limited"] == nil)
        #expect(h.engine.rateLimitStatus.configuration == nil)
    }

    @Test func trackedSourcesStayBounded() {
        var config = EngineConfiguration()
        config.rateLimit?.maxSources = 256
        let h = EngineHarness(configuration: config)
        for i in 0..<5_000 {
            h.now = h.now + .microseconds(100)
            _ = h.call("ping", [], from: h.peer(i))
        }
        #expect(h.engine.rateLimitStatus.trackedSources <= 256)
        #expect(h.engine.counters.dropped["rate_limited"] == nil)
    }
}
