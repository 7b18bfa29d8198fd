import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// A node's nearest contacts are checked (`DHTEngine.checkNeighbours`): departed neighbours
/// leave the tables within minutes, so they no longer crowd a live node out of every findNode
/// answer (the cause of the inexact lookups of `dhtop bench --simulate 10000`).
@Suite struct NeighbourCheckTests {
    /// `target` with its last byte XORed with `low`: distance `low` from it.
    static func near(_ target: String, _ low: UInt8) -> NodeID {
        let last = UInt8(target.suffix(2), radix: 16)! ^ low
        let hex = String(target.dropLast(2)) + (last < 16 ? "0" : "") + String(last, radix: 16)
        return NodeID(hex: hex)!
    }

    /// Six nodes around a target: A, B, C and M alive, D1 and D2 (closer than M) departed. Every
    /// one of A, B, C knows the other five, so each answers a findNode for the target with four
    /// contacts closer than M, two of them dead; M is in no far node's table (their bucket for
    /// that region was full when it joined). Only once A, B and C have dropped D1 and D2 can a
    /// lookup learn of M.
    /// Without the checks (the engine before them) the same network misses M; with them it finds it.
    @Test(arguments: [false, true]) func aDepartedNeighbourNoLongerHidesALiveCloserNode(checks: Bool) {
        let target = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"
        let net = SimulatedNetwork()
        var config = EngineConfiguration()
        config.checksNeighbours = checks
        for i in 0..<30 { net.addNode(configuration: config, seed: 500 + UInt64(i)) }
        // Distances 1, 2, 4 (A, B, C), 3 and 5 (D1, D2), 6 (M): M is the 4th closest alive.
        let region = [1, 2, 4, 3, 5, 6].map {
            net.addNode(configuration: config, seed: 900 + UInt64($0), ids: [0: Self.near(target, UInt8($0))])
        }
        let genesis = net.nodes[0]
        _ = net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: genesis), on: genesis)
        for node in net.nodes.dropFirst() {
            let result = net.run(until: net.start(.join(seeds: [genesis.endpoint], layer: 0, attach: true), on: node), on: node)
            guard case .joined = result else {
                Issue.record("join failed: \(String(describing: result))")
                return
            }
        }
        net.run(for: .seconds(5))
        let (a, b, c, d1, d2) = (region[0], region[1], region[2], region[3], region[4])
        let ids = region.map { $0.engine.nodeID(layer: 0)! }
        for r in [a, b, c] {
            // The scenario: each of A, B, C holds both departing nodes and M.
            let table = r.engine.routingTable(layer: 0)!
            #expect(table.contact(ids[3]) != nil && table.contact(ids[4]) != nil && table.contact(ids[5]) != nil)
        }
        d1.isUp = false
        d2.isUp = false
        // Long enough for two neighbour checks (every refreshCheckInterval), shorter than a
        // bucket refresh (bucketRefreshInterval): only the checks can have dropped them.
        net.run(for: .seconds(500))
        for r in [a, b, c] {
            let table = r.engine.routingTable(layer: 0)!
            #expect((table.contact(ids[3]) == nil && table.contact(ids[4]) == nil) == checks)
            #expect(table.contact(ids[5]) != nil)
        }
        // An asker far from the target that does not know M itself.
        guard let asker = net.nodes.prefix(30).dropFirst().first(where: { $0.engine.routingTable(layer: 0)!.contact(ids[5]) == nil }) else {
            Issue.record("every far node knows M: the scenario did not form")
            return
        }
        guard case .closest(let summary)? = net.run(until: net.start(.findNode(NodeID(hex: target)!, layer: 0), on: asker), on: asker) else {
            Issue.record("the lookup did not finish")
            return
        }
        let found = summary.closest.map(\.id)
        if checks {
            #expect(found == [ids[0], ids[1], ids[2], ids[5]])
        } else {
            // Every answer named D1 and D2 instead of M: the lookup never heard of it.
            #expect(found.prefix(3) == [ids[0], ids[1], ids[2]] && !found.contains(ids[5]))
        }
    }
}
