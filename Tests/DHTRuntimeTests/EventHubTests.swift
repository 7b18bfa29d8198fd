import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import Synchronization
import Testing

/// A slow observer never stalls the node: its buffer is bounded and its losses are counted.
@Suite(.timeLimit(.minutes(1)))
struct EventHubTests {
    @Test func aStalledObserverLosesEventsButTheNodeKeepsAnswering() async throws {
        let node = try Loopback.node(validate: false)
        defer { node.stop() }
        _ = await node.join()
        let release = DispatchSemaphore(value: 0)
        let delivered = Atomic<Int>(0)
        // This observer blocks its queue until the end of the test.
        let stalled = node.events.subscribe(queue: DispatchQueue(label: "stalled"), limit: 50) { batch in
            delivered.add(batch.count, ordering: .relaxed)
            release.wait()
        }
        let healthyCount = Atomic<Int>(0)
        let healthy = node.events.subscribe(queue: DispatchQueue(label: "healthy"), limit: 100_000) { batch in
            healthyCount.add(batch.count, ordering: .relaxed)
        }
        defer { stalled.cancel(); healthy.cancel() }
        let client = try Loopback.node(seeds: [Loopback.endpoint(node)], validate: false)
        defer { client.stop() }
        _ = await client.join()
        var answered = 0
        let clock = SystemClock()
        let started = clock.now()
        for _ in 0..<200 {
            if case .pong = await client.perform(.ping(Loopback.endpoint(node), layer: 0)) { answered += 1 }
        }
        let elapsed = clock.now() - started
        #expect(answered == 200)
        #expect(elapsed < .seconds(20), "200 pings took \(elapsed) with a stalled observer")
        // One requestServed event per ping reached the healthy observer; the stalled one got its
        // first batch, holds at most 50, and every other event was dropped and counted.
        let seen = healthyCount.load(ordering: .relaxed)
        #expect(seen >= 200)
        #expect(stalled.dropped > 0)
        #expect(delivered.load(ordering: .relaxed) + 50 + stalled.dropped >= seen)
        release.signal()
    }
}
