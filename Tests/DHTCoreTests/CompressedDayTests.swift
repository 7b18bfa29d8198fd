import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// A day of a 30-node network in compressed simulated time (injected clock): records expire,
/// publishers republish before the end of a record's life (never beyond it), nodes that join later receive the records closer to them, and every
/// bucket is refreshed. Deterministic for its seeds.
@Suite struct CompressedDayTests {
    static func holders(_ net: SimulatedNetwork, _ key: NodeID) -> Int {
        net.nodes.filter { $0.isUp && $0.engine.record(layer: 0, key: key.hexUTF8) != nil }.count
    }

    @Test(.timeLimit(.minutes(5))) func aDayOfExpiryReplicationAndRefresh() throws {
        let config = EngineConfiguration()
        let net = SimulatedNetwork()
        for i in 0..<30 { net.addNode(configuration: config, seed: 9_000 + UInt64(i)) }
        let genesis = net.nodes[0]
        net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: genesis), on: genesis)
        for node in net.nodes.dropFirst() {
            net.run(until: net.start(.join(seeds: [genesis.endpoint], layer: 0, attach: true), on: node), on: node)
        }
        let start = net.now
        let publisher = net.nodes[5], leaver = net.nodes[6]
        let shortKey = DHTKey.hash("day-short"), orphanKey = DHTKey.hash("day-orphan"), longKey = DHTKey.hash("day-long")
        func store(_ key: NodeID, _ seconds: Int64, on node: SimulatedNetwork.Node) {
            let op = net.start(
                .store(
                    key: key, value: .string("{\"type\":\"skip_validation\",\"k\":\"\(key.hex)\"}"),
                    expireSeconds: seconds, layer: 0), on: node)
            guard case .stored(let s)? = net.run(until: op, on: node) else {
                Issue.record("store \(key) failed")
                return
            }
            #expect(s.okCount >= 3)
        }
        store(shortKey, 3_600, on: publisher)
        store(orphanKey, 7_200, on: leaver)
        store(longKey, 43_200, on: publisher)
        #expect(Self.holders(net, shortKey) >= 4 && Self.holders(net, orphanKey) >= 4)
        // The orphan's publisher leaves for good: nobody republishes it.
        leaver.isUp = false

        // Three hours: the orphan and the short one expire everywhere (a republish never extends
        // a record's life); the long one lives on.
        net.run(for: .seconds(3 * 3_600))
        #expect(Self.holders(net, orphanKey) == 0, "orphan still held by \(Self.holders(net, orphanKey))")
        #expect(Self.holders(net, shortKey) == 0, "short-lived record held by \(Self.holders(net, shortKey)) after its life")
        #expect(Self.holders(net, longKey) >= 3)

        // Hour 11: three nodes join with ids next to the long-lived key; they get it.
        net.run(for: .seconds(8 * 3_600))
        var newcomers: [SimulatedNetwork.Node] = []
        for i in 0..<3 {
            let id = longKey.setting(bit: 159 - i, to: !longKey.bit(159 - i))
            let node = net.addNode(configuration: config, seed: 9_500 + UInt64(i), ids: [0: id])
            net.run(until: net.start(.join(seeds: [genesis.endpoint], layer: 0, attach: true), on: node), on: node)
            newcomers.append(node)
        }
        net.run(for: .seconds(1_800))
        let received = newcomers.filter { $0.engine.record(layer: 0, key: longKey.hexUTF8) != nil }.count
        #expect(received == 3, "\(received) of 3 newcomers received the record closest to them")
        // Its publisher re-stores it in the last minutes of its life, with its original time.
        let firstCopy = try #require(newcomers.first?.engine.record(layer: 0, key: longKey.hexUTF8))
        let eventsBefore = net.nodes.map(\.events.count)
        net.recordEvents = true
        net.run(for: .seconds(1_750))
        let lastMinutes = zip(net.nodes, eventsBefore + Array(repeating: 0, count: max(0, net.nodes.count - eventsBefore.count)))
            .flatMap { $0.events.dropFirst($1) }
        let longRepublishes = lastMinutes.filter { if case .valueReplicated(_, longKey.hex, _, true) = $0 { true } else { false } }.count
        #expect(longRepublishes > 0, "the long-lived record was not republished before its end")
        for node in net.nodes {
            if let copy = node.engine.record(layer: 0, key: longKey.hexUTF8) { #expect(copy.originallyPublished == firstCopy.originallyPublished) }
        }
        net.recordEvents = false
        net.run(for: .seconds(300))
        #expect(Self.holders(net, longKey) == 0, "the long-lived record outlived its 12 hours")

        // To the end of the day; record the last hour's events.
        net.run(for: start + .seconds(23 * 3_600) - net.now)
        let before = net.nodes.map(\.events.count)
        net.recordEvents = true
        net.run(for: .seconds(3_600))
        #expect(net.now - start >= .seconds(86_400))
        let events = zip(net.nodes, before).flatMap { $0.events.dropFirst($1) }
        let refreshes = events.filter { if case .lookupStarted(let s) = $0, s.purpose == .refresh { return true } else { return false } }.count
        let republishes = events.filter { if case .valueReplicated(_, _, _, true) = $0 { return true } else { return false } }.count
        let expiries = events.filter { if case .valueExpired = $0 { return true } else { return false } }.count
        #expect(refreshes > 0, "no bucket refresh in the last hour")
        #expect(republishes == 0, "a record was republished after every lifetime ended")
        print("day: \(net.datagramsDelivered) datagrams, last hour \(refreshes) refresh lookups, \(republishes) republish stores, \(expiries) expiries")

        // Every bucket of every live node was touched within a refresh period (+ check interval).
        let limit = config.bucketRefreshInterval + config.refreshCheckInterval + .seconds(60)
        var stale = 0, buckets = 0
        for node in net.nodes where node.isUp {
            for b in node.engine.routingTable(layer: 0)!.buckets {
                buckets += 1
                if net.now - b.lastChanged > limit { stale += 1 }
            }
        }
        #expect(stale == 0, "\(stale) of \(buckets) buckets not refreshed")
        // After a day none of the records is left: each lived its lifetime, no longer.
        #expect(Self.holders(net, shortKey) == 0 && Self.holders(net, longKey) == 0 && Self.holders(net, orphanKey) == 0)
    }
}
