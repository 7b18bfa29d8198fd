import BitDustRecords
import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// Lookups in a deterministic in-process network: true Kademlia termination must return the
/// real k closest nodes.
@Suite struct SimulatedLookupTests {
    /// Builds `count` nodes; node 0 is the genesis node and the others join through it.
    static func network(_ count: Int, seed: UInt64 = 1, configure: (inout EngineConfiguration) -> Void = { _ in }) -> SimulatedNetwork {
        let net = SimulatedNetwork()
        net.storeRule = BitDustStoreRule.rule
        var config = EngineConfiguration()
        configure(&config)
        for i in 0..<count { net.addNode(configuration: config, seed: seed &* 1000 &+ UInt64(i)) }
        let genesis = net.nodes[0]
        let op = net.start(.join(seeds: [], layer: 0, attach: true), on: genesis)
        _ = net.run(until: op, on: genesis)
        for node in net.nodes.dropFirst() {
            let op = net.start(.join(seeds: [genesis.endpoint], layer: 0, attach: true), on: node)
            let result = net.run(until: op, on: node)
            if case .joined = result {} else { Issue.record("join failed: \(String(describing: result))") }
        }
        return net
    }

    static func trueClosest(_ net: SimulatedNetwork, to target: NodeID, k: Int, excluding: NodeID? = nil) -> [NodeID] {
        net.nodes.compactMap { $0.engine.nodeID(layer: 0) }.filter { $0 != excluding }
            .sorted { ($0 ^ target) < ($1 ^ target) }.prefix(k).map { $0 }
    }

    @Test func everyLookupFindsTheTrueKClosestIn200Nodes() {
        let net = Self.network(200)
        let random = SeededRandom(seed: 99)
        var rounds: [Int] = []
        for i in 0..<50 {
            let target = random.nodeID()
            let node = net.nodes[(i * 37) % net.nodes.count]
            let own = node.engine.nodeID(layer: 0)!
            let op = net.start(.findNode(target, layer: 0), on: node)
            guard case .closest(let summary)? = net.run(until: op, on: node) else {
                Issue.record("lookup \(i) did not finish")
                continue
            }
            #expect(summary.termination == .converged)
            #expect(summary.closest.map(\.id) == Self.trueClosest(net, to: target, k: 4, excluding: own))
            rounds.append(summary.rounds)
        }
        print("200-node lookups: rounds min \(rounds.min() ?? 0) max \(rounds.max() ?? 0)")
    }

    @Test func storeThenGetFromAnotherNode() {
        let net = Self.network(60, seed: 7)
        let key = DHTKey.hash("demo-key")
        let value = BValue.string("{\"type\":\"skip_validation\",\"n\":1}")
        let writer = net.nodes[5]
        let op = net.start(.store(key: key, value: value, expireSeconds: 3600, layer: 0), on: writer)
        guard case .stored(let summary)? = net.run(until: op, on: writer) else {
            Issue.record("store did not finish")
            return
        }
        #expect(summary.okCount + (summary.storedLocally ? 1 : 0) >= 4)
        // The copies sit on the true 4 closest nodes.
        let holders = net.nodes.filter { $0.engine.record(layer: 0, key: key.hexUTF8) != nil }.compactMap { $0.engine.nodeID(layer: 0) }
        #expect(Set(Self.trueClosest(net, to: key, k: 4)).isSubset(of: Set(holders)))
        let reader = net.nodes[42]
        let get = net.start(.findValue(key: key, layer: 0, collectAll: false), on: reader)
        guard case .value(let result)? = net.run(until: get, on: reader) else {
            Issue.record("get did not finish")
            return
        }
        #expect(result.values.first?.value == value)
    }

    @Test func invalidValuesAreRefusedEverywhere() {
        let net = Self.network(20, seed: 3)
        let key = DHTKey.hash("bad")
        let op = net.start(.store(key: key, value: .string("plain text"), expireSeconds: 3600, layer: 0), on: net.nodes[1])
        guard case .stored(let summary)? = net.run(until: op, on: net.nodes[1]) else {
            Issue.record("store did not finish")
            return
        }
        #expect(summary.okCount == 0)
        #expect(!summary.replies.isEmpty)
        for reply in summary.replies {
            #expect(reply.outcome == .refused(type: "builtins.ValueError", message: "input data is not a json value: 'plain text'"))
        }
    }
}

/// A dead contact among the closest costs a lookup `lookupSoftTimeout`, not a full RPC timeout.
@Suite struct LookupSoftTimeoutTests {
    @Test func deadClosestNodesDelayALookupByTheSoftTimeoutOnly() {
        let net = SimulatedLookupTests.network(60, seed: 11)
        let target = SeededRandom(seed: 5).nodeID()
        let ranked = net.nodes.sorted { ($0.engine.nodeID(layer: 0)! ^ target) < ($1.engine.nodeID(layer: 0)! ^ target) }
        ranked[0].isUp = false
        ranked[1].isUp = false
        let asker = ranked[30]
        let config = asker.engine.configuration
        let op = net.start(.findNode(target, layer: 0), on: asker)
        guard case .closest(let summary)? = net.run(until: op, on: asker) else {
            Issue.record("lookup did not finish")
            return
        }
        let live = ranked.filter(\.isUp).compactMap { $0.engine.nodeID(layer: 0) }.filter { $0 != asker.engine.nodeID(layer: 0) }
        #expect(summary.closest.map(\.id) == Array(live.prefix(4)))
        #expect(summary.elapsed < config.rpcTimeout)
        #expect(summary.elapsed >= config.lookupSoftTimeout)
    }
}
