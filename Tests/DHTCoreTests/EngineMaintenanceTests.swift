import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// Timers in compressed simulated time: expiry, republish, replication to new contacts,
/// bucket refresh and the findValue cache-store (docs/protocol.md §11).
@Suite struct EngineMaintenanceTests {
    static let value = BValue.string("{\"type\":\"skip_validation\",\"n\":1}")

    /// `count` nodes; node 0 is the genesis node and the others join through it.
    static func network(_ count: Int, seed: UInt64, configuration: EngineConfiguration = EngineConfiguration()) -> SimulatedNetwork {
        let net = SimulatedNetwork()
        for i in 0..<count { net.addNode(configuration: configuration, seed: seed &* 1000 &+ UInt64(i)) }
        let genesis = net.nodes[0]
        net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: genesis), on: genesis)
        for node in net.nodes.dropFirst() { join(node, via: genesis, in: net) }
        return net
    }

    static func join(_ node: SimulatedNetwork.Node, via seed: SimulatedNetwork.Node, in net: SimulatedNetwork) {
        let result = net.run(until: net.start(.join(seeds: [seed.endpoint], layer: 0, attach: true), on: node), on: node)
        if case .joined = result {} else { Issue.record("join failed: \(String(describing: result))") }
    }

    static func store(_ key: NodeID, expire: Int64, on node: SimulatedNetwork.Node, in net: SimulatedNetwork) -> StoreSummary? {
        guard case .stored(let s)? = net.run(until: net.start(.store(key: key, value: value, expireSeconds: expire, layer: 0), on: node), on: node)
        else {
            Issue.record("store did not finish")
            return nil
        }
        return s
    }

    static func get(_ key: NodeID, on node: SimulatedNetwork.Node, in net: SimulatedNetwork) -> ValueLookupResult? {
        guard case .value(let r)? = net.run(until: net.start(.findValue(key: key, layer: 0, collectAll: false), on: node), on: node)
        else { return nil }
        return r
    }

    static func holders(_ key: NodeID, _ net: SimulatedNetwork) -> [SimulatedNetwork.Node] {
        net.nodes.filter { $0.engine.record(layer: 0, key: key.hexUTF8) != nil }
    }

    @Test func recordsExpireButNodeStateIsKept() throws {
        var config = EngineConfiguration()
        config.maxExpireSeconds = 600  // nodeState's own lifetime, so that it is overdue by the end.
        // Neighbour checks would evict the departed publisher from every table, which rewrites
        // every nodeState (its closest contacts changed): none would be old enough to test.
        config.checksNeighbours = false
        let net = Self.network(8, seed: 11, configuration: config)
        net.recordEvents = true
        let key = DHTKey.hash("short-lived")
        let publisher = net.nodes[3]
        let summary = try #require(Self.store(key, expire: 300, on: publisher, in: net))
        #expect(summary.okCount >= 3)
        let holders = Self.holders(key, net).filter { $0 !== publisher }
        #expect(holders.count >= 3)
        for h in holders { #expect(h.durable[key.hexUTF8] != nil) }
        // The publisher leaves the network, so that nobody else re-stores (it keeps republishing
        // to itself, cut off from everyone).
        publisher.isUp = false
        net.run(for: .seconds(299))
        #expect(Self.holders(key, net).filter { $0 !== publisher }.count == holders.count, "gone before its lifetime")
        net.run(for: .seconds(62 + 600))
        #expect(Self.holders(key, net).filter { $0 !== publisher }.isEmpty)
        for h in holders where h !== publisher {
            #expect(h.durable[key.hexUTF8] == nil, "expiry not persisted")
            #expect(h.events.contains(.valueExpired(layer: 0, keyText: key.hex)))
        }
        // nodeState stays on every node, even when older than its own lifetime.
        var overdue = 0
        for node in net.nodes {
            let state = try #require(node.engine.record(layer: 0, key: DHTKey.nodeState.hexUTF8))
            if net.now.unixSeconds - state.originallyPublished > state.expireSeconds { overdue += 1 }
        }
        #expect(overdue > 0)
    }

    /// The original publisher re-stores before the end of its record's life, so the nodes that
    /// are then the k closest hold it even after every first holder left, and even when the
    /// publisher keeps no copy itself; the copies keep the original time and die with it.
    @Test(arguments: [false, true]) func thePublisherKeepsItsValueAliveUntilItsEnd(publisherIsClosest: Bool) throws {
        let net = Self.network(30, seed: 21)
        let key = DHTKey.hash("kept-alive")
        let ranked = net.nodes.sorted { ($0.engine.nodeID(layer: 0)! ^ key) < ($1.engine.nodeID(layer: 0)! ^ key) }
        let publisher = publisherIsClosest ? ranked[0] : ranked[ranked.count - 1]
        _ = try #require(Self.store(key, expire: 3_600, on: publisher, in: net))
        let original = try #require(Self.holders(key, net).first?.engine.record(layer: 0, key: key.hexUTF8))
        for h in Self.holders(key, net) where h !== publisher && h !== net.nodes[0] { h.isUp = false }
        net.run(for: .seconds(3_500))
        let reader = ranked[ranked.count / 2] === publisher ? ranked[ranked.count / 2 + 1] : ranked[ranked.count / 2]
        let result = try #require(Self.get(key, on: reader, in: net))
        #expect(result.found)
        #expect(result.values.first?.value == Self.value)
        #expect(result.values.first?.originallyPublished == original.originallyPublished)
        #expect(Self.holders(key, net).filter(\.isUp).count >= 4)
        net.run(for: .seconds(200))
        #expect(Self.get(key, on: reader, in: net)?.found != true)
    }

    /// Kademlia §2.5: a new node closer to a key than its holders receives the key from them.
    @Test func aNewCloserNodeReceivesStoredKeys() throws {
        let net = Self.network(20, seed: 31)
        let key = DHTKey.hash("replicate-me")
        let writer = net.nodes[4]
        _ = try #require(Self.store(key, expire: 3600, on: writer, in: net))
        net.run(for: .seconds(50))
        let original = try #require(Self.holders(key, net).first?.engine.record(layer: 0, key: key.hexUTF8))
        // The closest possible id to the key: only the last bit differs.
        let newcomer = net.addNode(seed: 999, ids: [0: key ^ NodeID(high: 0, middle: 0, low: 1)])
        net.recordEvents = true
        Self.join(newcomer, via: net.nodes[0], in: net)
        net.run(for: .seconds(5))
        let copy = try #require(newcomer.engine.record(layer: 0, key: key.hexUTF8), "the newcomer did not receive the key")
        #expect(copy.value == Self.value)
        #expect(copy.publisher == original.publisher)
        #expect(copy.originallyPublished == original.originallyPublished)
        #expect(copy.expireSeconds == 3600)
        #expect(newcomer.durable[key.hexUTF8] != nil)
        #expect(
            net.nodes.contains {
                $0.events.contains { if case .valueReplicated(0, key.hex, let to, false) = $0 { to.id == newcomer.engine.nodeID(layer: 0) } else { false } }
            })
    }

    /// Buckets untouched for `bucketRefreshInterval` are refreshed with a lookup of a random id
    /// inside them; fresh ones are not.
    @Test func staleBucketsAreRefreshed() throws {
        // The harness's peers never answer: neighbour checks would evict them (NeighbourCheckTests).
        var config = EngineConfiguration()
        config.checksNeighbours = false
        let h = EngineHarness(configuration: config)
        for i in 1...12 { _ = h.ask("ping", [], from: h.peer(i)) }
        let table = try #require(h.engine.routingTable(layer: 0))
        #expect(table.buckets.count > 1)
        let interval = h.engine.configuration.bucketRefreshInterval
        var refreshes: [(at: Duration, target: NodeID)] = []
        var elapsed = Duration.zero
        while elapsed < interval + h.engine.configuration.refreshCheckInterval + .seconds(10) {
            elapsed += .seconds(10)
            for e in EngineHarness.events(h.tick(advance: .seconds(10))) {
                if case .lookupStarted(let s) = e, s.purpose == .refresh { refreshes.append((elapsed, s.target)) }
            }
        }
        #expect(!refreshes.isEmpty)
        #expect(refreshes.allSatisfy { $0.at >= interval }, "refreshed before the bucket was stale")
        // One lookup per stale bucket, each target inside a different bucket.
        let buckets = refreshes.map { table.bucketIndex(for: $0.target) }
        #expect(Set(buckets).count == buckets.count)
        #expect(buckets.count == min(8, table.buckets.count))
    }

    /// docs/protocol.md §11: after a findValue, the closest responder without the value gets a copy, with
    /// its original publication time (we send the true age) and no publisher.
    @Test func findValueCachesAtTheClosestResponderWithoutIt() throws {
        let net = Self.network(40, seed: 41)
        let key = DHTKey.hash("cache-me")
        let ranked = net.nodes.sorted { ($0.engine.nodeID(layer: 0)! ^ key) < ($1.engine.nodeID(layer: 0)! ^ key) }
        let writer = ranked[20]
        _ = try #require(Self.store(key, expire: 3600, on: writer, in: net))
        let original = try #require(ranked[0].engine.record(layer: 0, key: key.hexUTF8))
        net.run(for: .seconds(100))
        let reader = ranked.last!
        let holdersBefore = Set(net.nodes.filter { $0.engine.record(layer: 0, key: key.hexUTF8) != nil }.map(\.endpoint))
        let result = try #require(Self.get(key, on: reader, in: net))
        #expect(result.found)
        net.run(for: .seconds(1))
        // The value is handed over as soon as it arrives; the cache-store may follow in the
        // background (then `cachedAt` is nil): exactly one node got a new copy either way.
        let fresh = net.nodes.filter { $0.engine.record(layer: 0, key: key.hexUTF8) != nil && !holdersBefore.contains($0.endpoint) }
        #expect(fresh.count == 1)
        let node = try #require(fresh.first)
        if let cachedAt = result.cachedAt { #expect(cachedAt.id == node.engine.nodeID(layer: 0)) }
        let cachedAt = ContactTriple(id: node.engine.nodeID(layer: 0)!, endpoint: node.endpoint, layer: 0)
        let copy = try #require(node.engine.record(layer: 0, key: key.hexUTF8), "no cached copy")
        #expect(copy.publisher == nil)
        #expect(copy.originallyPublished == original.originallyPublished)
        #expect(copy.expireSeconds == 3600)
        #expect(copy.lastPublished > original.lastPublished)
        // It was the closest node that answered without the value.
        let withValue = Set(result.values.map(\.from.id))
        #expect(!withValue.contains(cachedAt.id))
        let lacking = result.lookup.closest.filter { !withValue.contains($0.id) }
        if result.cachedAt != nil, let best = lacking.min(by: { ($0.id ^ key) < ($1.id ^ key) }) { #expect(cachedAt.id == best.id) }
    }
}
