import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// Finding 6: the original publisher re-stores its record only while it is meant to live, with
/// its original publication time, when due (a margin of min(300 s, expire / 4) before its end),
/// and every due record, paced by a queue.
@Suite struct RepublishTests {
    static let value = BValue.string("{\"type\":\"skip_validation\",\"n\":1}")

    static func republishes(_ net: SimulatedNetwork, key: NodeID) -> Int {
        net.nodes.flatMap(\.events).filter {
            if case .valueReplicated(_, let k, _, true) = $0 { return k == key.hex }
            return false
        }.count
    }

    @Test func aShortRecordStopsBeingRepublishedAndExpiresEverywhere() throws {
        let net = EngineMaintenanceTests.network(10, seed: 41)
        net.recordEvents = true
        let key = DHTKey.hash("short-120")
        let publisher = net.nodes[4]
        let summary = try #require(EngineMaintenanceTests.store(key, expire: 120, on: publisher, in: net))
        #expect(summary.okCount >= 3)
        let published = try #require(EngineMaintenanceTests.holders(key, net).first?.engine.record(layer: 0, key: key.hexUTF8))
        net.run(for: .seconds(240))
        #expect(EngineMaintenanceTests.holders(key, net).isEmpty, "held by \(EngineMaintenanceTests.holders(key, net).count) after its lifetime")
        #expect(publisher.publishedDurable[key.hexUTF8] == nil)
        // No store of it after its end, on any node, for minutes.
        let end = published.originallyPublished + published.expireSeconds
        let before = Self.republishes(net, key: key)
        net.run(for: .seconds(300))
        #expect(Self.republishes(net, key: key) == before)
        #expect(EngineMaintenanceTests.holders(key, net).isEmpty)
        #expect(net.now.unixSeconds > end + 300)
    }

    @Test(.timeLimit(.minutes(2))) func aLongRecordIsRepublishedBeforeItsEndWithItsOriginalTime() throws {
        let net = EngineMaintenanceTests.network(10, seed: 43)
        let key = DHTKey.hash("long-43200")
        let publisher = net.nodes[2]
        _ = try #require(EngineMaintenanceTests.store(key, expire: 43_200, on: publisher, in: net))
        let original = try #require(EngineMaintenanceTests.holders(key, net).first?.engine.record(layer: 0, key: key.hexUTF8))
        net.run(for: .seconds(43_200 - 400))
        net.recordEvents = true
        net.run(for: .seconds(350))
        #expect(Self.republishes(net, key: key) >= 3, "no republish in the last 300 s of its life")
        for holder in EngineMaintenanceTests.holders(key, net) {
            let copy = try #require(holder.engine.record(layer: 0, key: key.hexUTF8))
            #expect(copy.originallyPublished == original.originallyPublished)
            #expect(copy.expireSeconds == 43_200)
        }
        net.run(for: .seconds(200))
        #expect(EngineMaintenanceTests.holders(key, net).isEmpty)
    }

    @Test func everyDueRecordIsRepublished() throws {
        let net = SimulatedNetwork()
        for i in 0..<8 { net.addNode(seed: 4_700 + UInt64(i)) }
        let genesis = net.nodes[0]
        net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: genesis), on: genesis)
        for node in net.nodes.dropFirst() { EngineMaintenanceTests.join(node, via: genesis, in: net) }
        // A node whose storage holds 500 publications, all due within the next minutes.
        let id = NodeID(high: 0xfeed, middle: 1, low: 2)
        let t = net.now.unixSeconds
        let published = (0..<500).map { i in
            StoredRecord(
                layer: 0, key: DHTKey.hash("due-\(i)").hexUTF8, value: Self.value, lastPublished: t - 3_350 + Int64(i % 60),
                originallyPublished: t - 3_350 + Int64(i % 60), publisher: id, expireSeconds: 3_600)
        }
        let publisher = net.addNode(seed: 4_799, ids: [0: id], published: published)
        EngineMaintenanceTests.join(publisher, via: genesis, in: net)
        net.recordEvents = true
        // The first sweep queues all 500; `republishPerTick` of them start each second.
        net.run(for: .seconds(150))
        var keys = Set<String>()
        for case .valueReplicated(_, let k, _, true) in publisher.events { keys.insert(k) }
        #expect(keys.count == 500, "\(keys.count) of 500 due records republished")
        #expect(publisher.engine.pendingRepublishes == 0)
        // Each copy carries its original time.
        for record in published.prefix(20) {
            let holders = EngineMaintenanceTests.holders(record.keyID!, net).filter { $0 !== publisher }
            #expect(!holders.isEmpty)
            for h in holders { #expect(h.engine.record(layer: 0, key: record.key)?.originallyPublished == record.originallyPublished) }
        }
    }
}
