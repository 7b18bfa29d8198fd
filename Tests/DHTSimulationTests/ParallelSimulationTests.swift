import DHTCore
import DHTWire
import Testing

@testable import DHTSimulation

/// The partitioned simulation: two threads run the whole workload, and no datagram arrives
/// sooner than the window length after it was sent, whichever partition it goes to.
@Suite struct ParallelSimulationTests {
    static func config(nodes: Int, hours: Double, threads: Int, seed: UInt64 = 3) -> SimulationConfiguration {
        var c = SimulationInvariantTests.config(nodes: nodes, hours: hours, loss: 0.02, churn: 0.3, seed: seed)
        c.threads = threads
        return c
    }

    /// Two threads run the whole workload: churn, loss and operations as configured. (That one
    /// thread and two give the same figures needs Swift's deterministic hashing, which only a
    /// fresh process can have: `SimulateCommandTests.oneThreadAndTwoGiveTheSameJSON`.)
    @Test func twoThreadsRunTheWholeWorkload() {
        let c = Self.config(nodes: 60, hours: 1, threads: 2)
        let sim = Simulation(c)
        sim.parallelMinimumEvents = 0  // every window on both threads
        #expect(sim.threads == 2)
        let report = sim.run()
        let sent = report.number("datagrams_sent") ?? 0
        #expect(sent > 20_000)
        #expect(Double(sim.nodes.reduce(0) { $0 + Int($1.sent) }) == sent)
        let share = report.number("datagrams_lost_fraction") ?? 0
        #expect(abs(share - 0.02) < 5 * (0.02 * 0.98 / sent).squareRoot(), "lost \(share)")
        #expect(report.number("churned_nodes") == Double(Int((0.3 * Double(60 - c.seeds)).rounded())))
        #expect(report.number("departures") == Double(sim.nodes.reduce(0) { $0 + $1.departures }))
        #expect(sim.nodes.prefix(c.seeds).allSatisfy { $0.departures == 0 && $0.online })
        #expect((report.number("lookups") ?? 0) >= 40)
        #expect((report.number("lookup_exact_fraction") ?? 0) > 0.9)
        #expect(report.number("keys_readable_fraction") == 1)
    }

    @Test func anotherSeedGivesAnotherRun() {
        let a = Simulation(Self.config(nodes: 30, hours: 0.5, threads: 2, seed: 3)).run()
        let b = Simulation(Self.config(nodes: 30, hours: 0.5, threads: 2, seed: 4)).run()
        #expect(a != b)
    }

    @Test func theLatencyFloorHoldsForEveryPair() {
        let model = LatencyModel(nodes: 300, seed: 9)
        for a in 0..<300 {
            for b in 0..<300 {
                #expect(model.oneWay(a, b, jitter: 0) >= LatencyModel.minimumOneWay)
            }
        }
    }

    @Test func deliveriesToEveryPartitionComeAfterTheFloor() {
        let sim = Simulation(Self.config(nodes: 20, hours: 1, threads: 2))
        sim.parallelMinimumEvents = 0
        for i in 0..<2_000 { sim.inject([UInt8(i & 0xff)], from: i % 20, to: (i * 7 + 3) % 20) }
        let sent = sim.now
        sim.run(until: sent + LatencyModel.minimumOneWay - 1)
        #expect(sim.traffic.delivered + sim.traffic.toOffline == 0)
        sim.run(until: sent + 10_000_000_000)
        let t = sim.traffic
        #expect(t.sent == 2_000)
        #expect(t.lost + t.toOffline == 2_000)
        #expect(t.lost > 0)
    }
}
