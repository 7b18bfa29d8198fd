import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// What a node made durable is enough to carry on after a restart.
@Suite struct EngineRestartTests {
    @Test func aRestartedPublisherKeepsRepublishingWhatItPublished() throws {
        let net = EngineMaintenanceTests.network(30, seed: 77)
        let key = DHTKey.hash("survives-a-restart")
        let ranked = net.nodes.sorted { ($0.engine.nodeID(layer: 0)! ^ key) < ($1.engine.nodeID(layer: 0)! ^ key) }
        // The farthest node publishes: it keeps no copy of its own, so only its list of
        // publications can make it republish.
        let publisher = ranked[ranked.count - 1]
        _ = try #require(EngineMaintenanceTests.store(key, expire: 3_600, on: publisher, in: net))
        #expect(publisher.engine.record(layer: 0, key: key.hexUTF8) == nil)
        #expect(publisher.publishedDurable[key.hexUTF8] != nil)
        let original = try #require(EngineMaintenanceTests.holders(key, net).first?.engine.record(layer: 0, key: key.hexUTF8))
        let restarted = net.restart(publisher, seed: 7_777)
        EngineMaintenanceTests.join(restarted, via: ranked[ranked.count / 2], in: net)
        // Every first holder leaves: only a republish can put the value on the nodes closest now.
        for h in EngineMaintenanceTests.holders(key, net) { h.isUp = false }
        net.run(for: .seconds(3_500))
        let result = try #require(EngineMaintenanceTests.get(key, on: ranked[10], in: net))
        #expect(result.found)
        if let v = result.values.first { #expect(v.originallyPublished == original.originallyPublished) }
    }

    @Test func withoutItsPublicationsTheValueExpires() throws {
        // The control case: a restart that loses the publication list lets the value die.
        let net = EngineMaintenanceTests.network(30, seed: 77)
        let key = DHTKey.hash("survives-a-restart")
        let ranked = net.nodes.sorted { ($0.engine.nodeID(layer: 0)! ^ key) < ($1.engine.nodeID(layer: 0)! ^ key) }
        let publisher = ranked[ranked.count - 1]
        _ = try #require(EngineMaintenanceTests.store(key, expire: 3_600, on: publisher, in: net))
        publisher.isUp = false
        for h in EngineMaintenanceTests.holders(key, net) { h.isUp = false }
        net.run(for: .seconds(3_500))
        let result = try #require(EngineMaintenanceTests.get(key, on: ranked[10], in: net))
        #expect(!result.found)
    }
}
