import DHTCore
import Testing

@testable import DHTSimulation

/// Issue 10's network-size estimate on the simulated network (80 ms median RTT, 2 % loss):
/// the median of the alive nodes' estimates lies within ±25 % of the true alive count, and at
/// least half of the nodes' own estimates do too (measured: about two thirds; 91 for 100 and
/// 866 for 1,000 as medians — still low, from lookups made while the network formed and from
/// lookups that missed a true closest node under loss). Two hours, so that the lookups a node made while the network
/// was still forming (every node joins within the first 10 minutes) are a minority of its
/// samples; each node also looks up two random ids an hour. (10,000 nodes: `dhtop bench
/// --simulate 10000`.)
@Suite struct SimulatedSizeEstimateTests {
    @Test(arguments: [100, 1000])
    func estimatesAreWithin25PercentOfTheAliveCount(size: Int) throws {
        var c = SimulationInvariantTests.config(nodes: size, hours: 2, loss: 0.02, churn: 0, seed: UInt64(size))
        c.minimumOperations = 20
        c.findsPerNodeHour = 2
        c.getsPerNodeHour = 0
        let sim = Simulation(c)
        let report = sim.run()
        let alive = Double(sim.aliveCount)
        #expect(alive == Double(size))
        let estimates = sim.sizeEstimates()
        #expect(estimates.count >= size * 9 / 10)
        let median = try #require(report.number("size_estimate_median"))
        print("\(size) nodes: median estimate \(median), \(report.number("size_estimate_within_25pct_fraction")!) of nodes within ±25 %")
        #expect(abs(median - alive) / alive <= 0.25, "median estimate \(median) for \(alive)")
        #expect(report.number("size_estimate_within_25pct_fraction")! >= 0.5)
    }
}
