import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// First contact on the simulated network with its manual clock: seeds down at start are
/// retried with a jittered doubling backoff, failures are counted by kind, an emptied table
/// starts the retries again, and a genesis node is not an error.
@Suite struct JoinRetryTests {
    static func joinStates(_ node: SimulatedNetwork.Node) -> [JoinState] {
        node.events.compactMap { if case .joinStateChanged(0, let s) = $0 { return s } else { return nil } }
    }

    @Test func backoffDoublesToSixtySecondsWithinItsJitter() {
        let backoff = JoinBackoff()
        let random = SeededRandom(seed: 5)
        var expected = 1.0
        for failures in 1...10 {
            #expect(backoff.base(afterFailures: failures).seconds == expected)
            var seen: Set<Int64> = []
            for _ in 0..<200 {
                let d = backoff.delay(afterFailures: failures, random: random).seconds
                #expect(d >= 0.75 * expected && d <= 1.25 * expected, "attempt \(failures): \(d) s")
                seen.insert(Int64(d * 1000))
            }
            #expect(seen.count > 50, "no jitter at attempt \(failures)")
            expected = min(expected * 2, 60)
        }
    }

    @Test func aSeedThatComesUpLaterIsJoinedOnARetry() throws {
        let net = SimulatedNetwork()
        net.recordEvents = true
        let seed = net.addNode(seed: 1)
        net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: seed), on: seed)
        seed.isUp = false
        let node = net.addNode(seed: 2)
        let started = net.now
        let op = net.start(.join(seeds: [seed.endpoint], layer: 0, attach: true), on: node)
        guard case .failed(let failure)? = net.run(until: op, on: node) else {
            Issue.record("the join did not fail")
            return
        }
        #expect(failure.message.contains("1 no answer"))
        guard case .alone(let first)? = node.engine.joinState(layer: 0) else {
            Issue.record("not alone")
            return
        }
        #expect(first.last == JoinFailures(noAnswer: 1))
        #expect(first.attempt == 1)
        #expect(node.engine.joinState(layer: 0)!.description(now: net.now).hasPrefix("alone: 1 seed: 1 no answer; next attempt in"))
        #expect(node.resolveRequests == 1)
        // Three more failed attempts, each after a wait within its jitter of 1, 2, 4 s.
        net.run(for: .seconds(9))
        var waits: [Double] = []
        var lastFailure = started
        for case .alone(let p) in Self.joinStates(node) {
            waits.append((p.nextAttemptAt! - lastFailure).seconds)
            lastFailure = p.nextAttemptAt!
        }
        #expect(waits.count >= 3)
        for (i, wait) in waits.enumerated() {
            // Each attempt fails a soft timeout (1 s) after it starts, then waits 1, 2, 4 s ±25 %.
            let base = Double(1 << i)
            #expect(wait >= 1 + 0.75 * base - 0.001 && wait <= 1 + 1.25 * base + 0.001, "wait \(i): \(wait) s")
        }
        seed.isUp = true
        net.run(for: .seconds(40))
        #expect(node.engine.joinState(layer: 0) == .joined)
        #expect(node.engine.routingTable(layer: 0)!.count == 1)
    }

    @Test func unresolvedNamesAreDNSFailuresAndNotGenesis() {
        let net = SimulatedNetwork()
        net.recordEvents = true
        let seed = net.addNode(seed: 1)
        net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: seed), on: seed)
        let node = net.addNode(seed: 2)
        net.setSeeds(SeedSet(endpoints: [], unresolved: 7), on: node)
        let op = net.start(.join(seeds: [], layer: 0, attach: true), on: node)
        guard case .failed(let failure)? = net.run(until: op, on: node) else {
            Issue.record("the join did not fail")
            return
        }
        #expect(failure.message.hasPrefix("no seed could be resolved on layer 0 (7 DNS failures)"))
        let state = node.engine.joinState(layer: 0)!
        #expect(state.progress?.last == JoinFailures(dns: 7))
        #expect(state.description(now: net.now).hasPrefix("alone: 7 seeds: 7 DNS failures; next attempt in 1 s"))
        #expect(!state.isSettled)
        // Later a name resolves (the host answers `.resolveSeeds`): the next attempt joins.
        #expect(node.resolveRequests == 1)
        net.setSeeds(SeedSet(endpoints: [seed.endpoint], unresolved: 6), on: node)
        net.run(for: .seconds(3))
        #expect(node.engine.joinState(layer: 0) == .joined)
    }

    @Test func aGenesisNodeIsGenesisUntilAPeerComes() {
        let net = SimulatedNetwork()
        let genesis = net.addNode(seed: 1)
        let op = net.start(.join(seeds: [], layer: 0, attach: true), on: genesis)
        guard case .joined? = net.run(until: op, on: genesis) else {
            Issue.record("genesis did not join")
            return
        }
        #expect(genesis.engine.joinState(layer: 0) == .genesis)
        #expect(genesis.engine.joinState(layer: 0)!.isSettled)
        #expect(genesis.engine.joinState(layer: 0)!.description(now: net.now) == "genesis (waiting for peers)")
        let peer = net.addNode(seed: 2)
        net.run(until: net.start(.join(seeds: [genesis.endpoint], layer: 0, attach: true), on: peer), on: peer)
        #expect(genesis.engine.joinState(layer: 0) == .joined)
        #expect(peer.engine.joinState(layer: 0) == .joined)
    }

    @Test func anEmptiedTableStartsTheRetriesAgain() {
        let net = SimulatedNetwork()
        net.recordEvents = true
        let seed = net.addNode(seed: 1)
        net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: seed), on: seed)
        let node = net.addNode(seed: 2)
        net.run(until: net.start(.join(seeds: [seed.endpoint], layer: 0, attach: true), on: node), on: node)
        #expect(node.engine.joinState(layer: 0) == .joined)
        seed.isUp = false
        // Lookups to the only contact time out until it leaves the table (maxFailures).
        for _ in 0..<3 {
            net.run(until: net.start(.findNode(NodeID(high: 1, middle: 2, low: 3), layer: 0), on: node), on: node)
            net.run(for: .seconds(6))
        }
        #expect(node.engine.routingTable(layer: 0)!.count == 0)
        let states = Self.joinStates(node)
        let emptied = states.contains { if case .alone(let p) = $0 { return p.reason == .tableEmptied } else { return false } }
        #expect(emptied, "\(states)")
        seed.isUp = true
        net.run(for: .seconds(70))
        #expect(node.engine.joinState(layer: 0) == .joined)
    }
}
