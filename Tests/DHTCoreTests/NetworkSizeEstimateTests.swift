import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// The network-size estimate from lookup distances: within ±25 % on simulated networks of 100
/// and 1,000 nodes, with an interval that holds the true size.
@Suite struct NetworkSizeEstimateTests {
    @Test func densitiesOfAKnownSizeGiveThatSize() {
        // Ids spread uniformly: the estimator alone, without a network.
        let random = SeededRandom(seed: 9)
        var estimator = NetworkSizeEstimator()
        let ids = (0..<500).map { _ in random.nodeID() }
        for _ in 0..<128 {
            let target = random.nodeID()
            let closest = ids.sorted { ($0 ^ target) < ($1 ^ target) }.prefix(4)
            estimator.add(target: target, closest: Array(closest))
        }
        let e = estimator.estimate()!
        // 500 other ids: 501 nodes with the one looking.
        #expect(abs(e.nodes - 501) / 501 < 0.25, "\(e)")
        #expect(e.low < 501 && 501 < e.high, "\(e)")
        #expect(estimator.count == 128)
    }

    /// A network of 9 nodes: the estimate never says fewer nodes than the node holds contacts
    /// for (itself included), where distances alone said "~2" beside 7 good contacts.
    @Test func neverFewerThanTheNodesItKnows() throws {
        let e = NetworkSizeEstimate(nodes: 2.4, low: 1.8, high: 9.5, samples: 5).atLeast(8)
        #expect(e.nodes == 8 && e.low == 8 && e.high == 9.5 && e.samples == 5)
        #expect(NetworkSizeEstimate(nodes: 20, low: 15, high: 30, samples: 5).atLeast(8).nodes == 20)
        let net = SimulatedLookupTests.network(9, seed: 9)
        let node = net.nodes.last!
        let random = SeededRandom(seed: 5)
        for _ in 0..<16 {
            net.run(until: net.start(.findNode(random.nodeID(), layer: 0), on: node), on: node)
        }
        let estimate = try #require(node.engine.networkSizeEstimate(layer: 0))
        let known = Double(node.engine.routingTable(layer: 0)!.count + 1)
        #expect(known > 4)
        #expect(estimate.nodes >= known && estimate.low >= known, "\(estimate.text) with \(Int(known)) known")
    }

    @Test func fewSamplesGiveNoEstimate() {
        var estimator = NetworkSizeEstimator()
        #expect(estimator.estimate() == nil)
        estimator.add(density: 0.1)
        estimator.add(density: .nan)
        estimator.add(density: -1)
        #expect(estimator.count == 1)
        #expect(estimator.estimate() == nil)
    }

    @Test(arguments: [100, 1000])
    func theEngineEstimatesASimulatedNetwork(size: Int) throws {
        let net = SimulatedLookupTests.network(size, seed: UInt64(size))
        let node = net.nodes.last!
        let random = SeededRandom(seed: 77)
        for _ in 0..<128 {
            net.run(until: net.start(.findNode(random.nodeID(), layer: 0), on: node), on: node)
        }
        let e = try #require(node.engine.networkSizeEstimate(layer: 0))
        print("\(size) nodes: \(e.text) from \(e.samples) lookups")
        #expect(abs(e.nodes - Double(size)) / Double(size) < 0.25, "\(e)")
        #expect(e.low <= e.nodes && e.nodes <= e.high)
        #expect(e.text.hasPrefix("~"))
    }
}

/// The median keeps the estimate where most lookups put it: lookups made while the network was
/// tiny (a node that joined among the first) move it by a few ranks, not by a factor.
@Suite struct NetworkSizeEstimateRobustnessTests {
    @Test func aFewLookupsInATinyNetworkBarelyMoveTheEstimate() {
        let random = SeededRandom(seed: 21)
        var estimator = NetworkSizeEstimator()
        let small = (0..<5).map { _ in random.nodeID() }
        let large = (0..<2000).map { _ in random.nodeID() }
        func sample(_ ids: [NodeID]) {
            let target = random.nodeID()
            estimator.add(target: target, closest: Array(ids.sorted { ($0 ^ target) < ($1 ^ target) }.prefix(4)))
        }
        for _ in 0..<12 { sample(small) }
        for _ in 0..<100 { sample(large) }
        let e = estimator.estimate()!
        #expect(abs(e.nodes - 2001) / 2001 < 0.25, "\(e)")
        #expect(e.low < e.nodes && e.nodes < e.high)
    }
}
