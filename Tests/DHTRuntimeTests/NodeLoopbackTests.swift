import DHTCore
import DHTRuntime
import DHTWire
import TestKit
import Testing

/// Real UDP on 127.0.0.1: a genesis node, a second joining through it, then a third.
@Suite(.timeLimit(.minutes(1)))
struct NodeLoopbackTests {
    @Test func pingStoreFindAndJoin() async throws {
        let genesis = try Loopback.node(validate: false)
        defer { genesis.stop() }
        let joinedGenesis = await genesis.join()
        guard case .joined = joinedGenesis else {
            Issue.record("genesis join: \(joinedGenesis)")
            return
        }

        let second = try Loopback.node(seeds: [Loopback.endpoint(genesis)], validate: false)
        defer { second.stop() }
        let joined = await second.join()
        guard case .joined(let summary) = joined else {
            Issue.record("second join: \(joined)")
            return
        }
        #expect(summary.responders >= 1)

        // Ping both ways.
        let genesisID = genesis.withEngine { $0.nodeID(layer: 0)! }
        let secondID = second.withEngine { $0.nodeID(layer: 0)! }
        guard case .pong(let p1) = await second.perform(.ping(Loopback.endpoint(genesis), layer: 0)) else {
            Issue.record("no pong from genesis")
            return
        }
        #expect(p1.id == genesisID)
        guard case .pong(let p2) = await genesis.perform(.ping(Loopback.endpoint(second), layer: 0)) else {
            Issue.record("no pong from second")
            return
        }
        #expect(p2.id == secondID)

        // Store from the second, find from the genesis.
        let key = DHTKey.hash("loopback-test-key")
        let value: BValue = .string("{\"type\":\"test\",\"n\":1}")
        guard case .stored(let stored) = await second.perform(.store(key: key, value: value, expireSeconds: 600, layer: 0)) else {
            Issue.record("store failed")
            return
        }
        // The genesis is the only other node: the store must have reached it over UDP and been
        // acknowledged, and its own table must now hold the value.
        #expect(stored.replies.contains { $0.peer.id == genesisID && $0.outcome == .ok })
        #expect(genesis.withEngine { $0.record(layer: 0, key: key.hexUTF8)?.value } == value)
        guard case .value(let found) = await genesis.perform(.findValue(key: key, layer: 0, collectAll: false)) else {
            Issue.record("findValue failed")
            return
        }
        #expect(found.values.first?.value == value)

        // A third node joining sees both.
        let third = try Loopback.node(seeds: [Loopback.endpoint(genesis)], validate: false)
        defer { third.stop() }
        guard case .joined = await third.join() else {
            Issue.record("third join failed")
            return
        }
        let known = Set(third.withEngine { $0.contacts(layer: 0).map(\.id) })
        #expect(known.contains(genesisID))
        #expect(known.contains(secondID))
        // And a lookup from the third finds it over the network: the copy came from another node.
        guard case .value(let again) = await third.perform(.findValue(key: key, layer: 0, collectAll: false)) else {
            Issue.record("third findValue failed")
            return
        }
        #expect(again.values.first?.value == value)
        #expect(again.values.first.map { [genesisID, secondID].contains($0.from.id) } == true)
    }
}
