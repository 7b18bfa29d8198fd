import DHTCore
import DHTWire
import Testing

@testable import DHTSimulation

/// The simulated network's own invariants, at small sizes: deliveries in time order and after
/// their pair's delay, loss and churn as configured, the latency model's shape.
@Suite struct SimulationInvariantTests {
    static func config(nodes: Int, hours: Double, loss: Double = 0.02, churn: Double = 0.3, seed: UInt64 = 1) -> SimulationConfiguration {
        var c = SimulationConfiguration(nodes: nodes)
        c.loss = loss
        c.churn = churn
        c.duration = .seconds(Int64(hours * 3600))
        c.seed = seed
        c.minimumOperations = 40
        return c
    }

    @Test func deliveriesComeInTimeOrderAfterTheirPairsDelay() {
        let sim = Simulation(Self.config(nodes: 50, hours: 0.5, loss: 0))
        var traces: [DeliveryTrace] = []
        sim.onDelivery = { traces.append($0) }
        _ = sim.run()
        #expect(traces.count > 1000)
        for (a, b) in zip(traces, traces.dropFirst()) where b.deliveredAt < a.deliveredAt {
            Issue.record("delivery at \(b.deliveredAt) after one at \(a.deliveredAt)")
            break
        }
        for t in traces {
            let half = sim.latency.rtt(t.from, t.to) / 2
            let delay = t.deliveredAt - t.sentAt
            #expect(delay >= half && delay < half + 1_000_000, "\(t)")
        }
    }

    @Test func datagramsAreLostAtTheConfiguredRate() {
        let sim = Simulation(Self.config(nodes: 10, hours: 1, loss: 0.1))
        var delivered = 0
        sim.onDelivery = { _ in delivered += 1 }
        let count = 20_000
        for i in 0..<count { sim.inject([UInt8(i & 0xff)], from: i % 10, to: (i + 1) % 10) }
        sim.run(until: sim.now + 10_000_000_000)
        let traffic = sim.traffic
        #expect(traffic.sent == count)
        #expect(traffic.lost + delivered == count)
        // 5 standard deviations of a binomial share at p = 0.1, n = 20,000: ±0.0106.
        let share = Double(traffic.lost) / Double(count)
        #expect(abs(share - 0.1) < 0.0106, "lost \(share)")
    }

    @Test func aRunLosesTheConfiguredShareAndNoneWithoutLoss() {
        let lossy = Simulation(Self.config(nodes: 40, hours: 0.5, loss: 0.05, churn: 0)).run()
        let sent = lossy.number("datagrams_sent") ?? 0
        let share = lossy.number("datagrams_lost_fraction") ?? 0
        let sigma = (0.05 * 0.95 / sent).squareRoot()
        #expect(sent > 5000)
        #expect(abs(share - 0.05) < 5 * sigma, "lost \(share) of \(sent)")
        let clean = Simulation(Self.config(nodes: 40, hours: 0.5, loss: 0, churn: 0)).run()
        #expect(clean.number("datagrams_lost_fraction") == 0)
    }

    @Test func theConfiguredShareOfNodesChurnsAndSeedsStay() {
        let c = Self.config(nodes: 60, hours: 2, loss: 0, churn: 0.5)
        let sim = Simulation(c)
        let report = sim.run()
        let churners = Int((0.5 * Double(60 - c.seeds)).rounded())
        #expect(report.number("churned_nodes") == Double(churners))
        // Every churning node leaves at least once within the run; the others never do.
        #expect(sim.nodes.filter { $0.departures > 0 }.count == churners)
        #expect(sim.nodes.prefix(c.seeds).allSatisfy { $0.departures == 0 && $0.online })
        let departures = sim.nodes.reduce(0) { $0 + $1.departures }
        #expect(report.number("departures") == Double(departures))
        #expect(sim.nodes.filter(\.gone).count == Int(report.number("never_returned") ?? -1))
        #expect(sim.nodes.filter(\.gone).allSatisfy { !$0.online })
        #expect(sim.nodes.filter(\.online).count < 60)
        let still = Simulation(Self.config(nodes: 30, hours: 1, loss: 0, churn: 0)).run()
        #expect(still.number("departures") == 0)
        #expect(still.number("alive_at_end") == 30)
    }

    /// A get draws among the keys stored so far (and not too old), so one stored key among a
    /// thousand not yet stored is still found: gets are not skipped early in a run.
    @Test func getsReadOnlyKeysAlreadyStored() {
        let sim = Simulation(Self.config(nodes: 20, hours: 1, loss: 0, churn: 0))
        sim.scheduleWorkload()
        sim.run(until: sim.start + 15 * 60 * 1_000_000_000)
        sim.keys = (0..<1000).map { StoredKey(key: DHTKey.hash("k\($0)"), storedAt: 0) }
        sim.keys[7].storedAt = sim.now - 1_000_000_000
        sim.keys[7].ok = true
        sim.keys[8].storedAt = sim.now - 2 * sim.configuration.expireSeconds * 1_000_000_000
        sim.keys[8].ok = true
        sim.storedOrder = [8, 7]
        sim.liveFrom = 0
        let skippedBefore = sim.metrics.skipped
        for _ in 0..<20 { sim.get(final: false, key: nil) }
        #expect(sim.metrics.skipped == skippedBefore)
        let keys = sim.pending.values.compactMap { op -> Int? in
            if case .get(let j, _, _, _) = op { return j }
            return nil
        }
        #expect(keys.count == 20)
        #expect(keys.allSatisfy { $0 == 7 })
    }

    @Test func latencyModelHasAMedianNear80msAndAHeavyTail() {
        let model = LatencyModel(nodes: 2000, seed: 7)
        var rtts: [Int64] = []
        for p in 0..<5000 {
            let a = (p * 7919) % 2000, b = (p * 104_729 + 1) % 2000
            guard a != b else { continue }
            rtts.append(model.rtt(a, b))
            #expect(model.rtt(a, b) == model.rtt(b, a))
        }
        let median = Double(Stats.median(rtts)!) / 1e6
        let p99 = Double(Stats.quantile(rtts, 0.99)!) / 1e6
        #expect(abs(median - 80) < 8, "median \(median) ms")
        #expect(p99 > 2 * median, "p99 \(p99) ms")
        #expect(rtts.allSatisfy { $0 > 0 })
    }
}
