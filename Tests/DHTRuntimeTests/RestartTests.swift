import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing

/// A stopped node keeps its routing table, so a restart rejoins through the contacts it
/// remembers even when its seeds are down.
@Suite(.timeLimit(.minutes(1)))
struct RestartTests {
    @Test func aRestartRejoinsThroughRememberedContactsWhenTheSeedIsDown() async throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seed = try Loopback.node()
        _ = await seed.join()
        let peer = try Loopback.node(seeds: [Loopback.endpoint(seed)])
        defer { peer.stop() }
        _ = await peer.join()

        let first = try Loopback.node(seeds: [Loopback.endpoint(seed)], dataDirectory: dir)
        guard case .joined = await first.join() else {
            Issue.record("first join failed")
            return
        }
        let id = first.withEngine { $0.nodeID(layer: 0)! }
        #expect(first.withEngine { $0.contacts(layer: 0).count } >= 2)
        first.stop()
        seed.stop()

        // The only configured seed is gone; the remembered peer is still up.
        let again = try Loopback.node(seeds: [Loopback.endpoint(seed)], dataDirectory: dir)
        defer { again.stop() }
        #expect(again.rememberedContacts[0]?.contains(Loopback.endpoint(peer)) == true)
        let result = await again.join()
        guard case .joined(let summary) = result else {
            Issue.record("rejoin failed: \(result)")
            return
        }
        #expect(summary.responders >= 1)
        #expect(again.withEngine { $0.nodeID(layer: 0) } == id)
        let peerID = peer.withEngine { $0.nodeID(layer: 0)! }
        #expect(again.withEngine { $0.routingTable(layer: 0)?.contact(peerID) } != nil)
    }
}
