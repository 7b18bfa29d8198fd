import DHTCore
import DHTWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Nodes coming and going: the first join, departures (the engine is dropped; its records,
/// published values and contacts kept as on disk), returns (a new engine from them, joining
/// through its remembered contacts and the seeds).
extension Simulation {
    /// A fresh engine for node `i` from what it kept.
    func makeEngine(_ i: Int) -> DHTEngine {
        let n = nodes[i]
        let engine = DHTEngine(
            configuration: configuration.engine,
            random: SeededRandom(seed: Hash.mix(Hash.mix(configuration.seed, UInt64(i)), n.restarts)),
            now: Timestamp(nanoseconds: now), layerIDs: [0: n.id], records: n.savedRecords,
            published: Array(n.published.values))
        engine.storeRule = configuration.storeRule
        engine.lookupTerminationPolicy = configuration.lookupTermination
        engine.emitsEvents = false
        return engine
    }

    /// Node `i` comes online and joins (node 0 starts the network).
    func bringUp(_ i: Int) {
        guard nodes[i].engine == nil, !nodes[i].gone else { return }
        let engine = makeEngine(i)
        nodes[i].engine = engine
        nodes[i].joined = false
        missTrace?.upSince[i] = now
        nodes[i].savedRecords = []
        var seeds = i == 0 && nodes[i].restarts == 0 ? [] : seedEndpoints.filter { $0 != Self.endpoint(of: i) }
        for e in nodes[i].remembered where !seeds.contains(e) { seeds.append(e) }
        nodes[i].remembered = []
        let op = nextOperation
        nextOperation += 1
        pending[op] = .join
        partition(i).apply(
            engine.start(.join(seeds: Array(seeds.prefix(64)), layer: 0, attach: true), id: OperationID(op), now: Timestamp(nanoseconds: now)),
            on: i)
    }

    /// Node `i` leaves: what a stopped process keeps is saved, the rest dropped.
    func takeDown(_ i: Int, forGood: Bool) {
        guard let engine = nodes[i].engine else { return }
        nodes[i].savedRecords = engine.records(layer: 0)
        nodes[i].remembered = engine.contacts(layer: 0).map(\.endpoint)
        nodes[i].engine = nil
        nodes[i].joined = false
        nodes[i].departures += 1
        nodes[i].restarts += 1
        nodes[i].gone = forGood
        if forGood {
            nodes[i].savedRecords = []
            nodes[i].published = [:]
            nodes[i].remembered = []
        }
        partition(i).timers.set(i, at: nil)
        metrics.departures += 1
        if forGood { metrics.neverReturned += 1 }
    }

    /// Pareto-distributed duration (minimum `minimum`, shape `shape`) from the run's random.
    func pareto(minimum: Duration, shape: Double) -> Int64 {
        let u = max(Hash.unit(random.next()), 1e-12)
        let seconds = minimum.seconds / pow(u, 1 / shape)
        return Int64(min(seconds, 1e7) * 1e9)
    }

    /// Schedules the churn of node `i`: its first departure, uniform over the rest of the run.
    func scheduleChurn(_ i: Int, joinAt: Int64) {
        let end = start + configuration.duration.nanoseconds
        guard end > joinAt + 60_000_000_000 else { return }
        let span = UInt64(end - joinAt - 60_000_000_000)
        agenda.push(at: joinAt + 60_000_000_000 + Int64(random.next() % span), .leave(Int32(i)))
    }

    func leave(_ i: Int) {
        guard nodes[i].online else { return }
        let forGood = Hash.unit(random.next()) < configuration.neverReturn
        takeDown(i, forGood: forGood)
        if !forGood {
            agenda.push(at: now + pareto(minimum: configuration.offlineMinimum, shape: configuration.offlineShape), .back(Int32(i)))
        }
    }

    func back(_ i: Int) {
        bringUp(i)
        agenda.push(at: now + pareto(minimum: configuration.sessionMinimum, shape: configuration.sessionShape), .leave(Int32(i)))
    }
}
