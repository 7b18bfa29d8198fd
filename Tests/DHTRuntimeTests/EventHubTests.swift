import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import Synchronization
import TestKit
import Testing

/// A slow observer never stalls the node: its buffer is bounded and its losses are counted.
@Suite(.timeLimit(.minutes(1)))
struct EventHubTests {
    @Test func aStalledObserverLosesEventsButTheNodeKeepsAnswering() async throws {
        let node = try Loopback.node(validate: false)
        defer { node.stop() }
        _ = await node.join()
        let delivered = Atomic<Int>(0)
        // A stalled observer: its queue is suspended (it holds no thread), at most 10 events wait.
        let stalledQueue = DispatchQueue(label: "stalled")
        stalledQueue.suspend()
        let stalled = node.events.subscribe(queue: stalledQueue, limit: 10) { batch in
            delivered.add(batch.count, ordering: .relaxed)
        }
        let healthyCount = Atomic<Int>(0)
        let healthy = node.events.subscribe(queue: DispatchQueue(label: "healthy"), limit: 100_000) { batch in
            healthyCount.add(batch.count, ordering: .relaxed)
        }
        defer {
            stalled.cancel()
            healthy.cancel()
        }
        let client = try Loopback.node(seeds: [Loopback.endpoint(node)], validate: false)
        defer { client.stop() }
        _ = await client.join()
        var answered = 0
        for _ in 0..<200 {
            if case .pong = await client.perform(.ping(Loopback.endpoint(node), layer: 0)) { answered += 1 }
        }
        #expect(answered == 200)
        // One requestServed event per ping reached the healthy observer; the stalled one holds
        // at most 10, and every other event was dropped and counted. The healthy observer's
        // queue delivers after the pongs, so wait for it.
        #expect(await eventuallyAsync { healthyCount.load(ordering: .relaxed) >= 200 })
        let seen = healthyCount.load(ordering: .relaxed)
        #expect(delivered.load(ordering: .relaxed) == 0)
        #expect(stalled.dropped + 10 >= seen)
        stalledQueue.resume()
    }
}
