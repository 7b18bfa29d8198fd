import DHTCore
import DHTWire
import Testing

/// `DHTEngine.forgetContact`: the operator drops a contact from the routing table.
@Suite struct EngineForgetTests {
    static func events(_ effects: [Effect]) -> [NodeEvent] {
        effects.compactMap { if case .event(let e) = $0 { return e.event } else { return nil } }
    }

    @Test func forgetDropsAContactReportsItAndTheContactMayComeBack() throws {
        let h = EngineHarness()
        let p = h.peer(1), q = h.peer(2)
        h.call("ping", [], from: p)
        h.call("ping", [], from: q)
        #expect(Set(h.engine.contacts(layer: 0).map(\.id)) == [p.id, q.id])
        let effects = try #require(h.engine.forgetContact(p.id, layer: 0, now: h.now))
        #expect(h.engine.contacts(layer: 0).map(\.id) == [q.id])
        let evicted = Self.events(effects).compactMap { e -> (NodeID, String)? in
            if case .contactEvicted(0, let c, let reason) = e { return (c.id, reason) }
            return nil
        }
        #expect(evicted.map(\.0) == [p.id] && evicted.map(\.1) == ["removed"])
        // Unknown now, and on a layer this node does not have.
        #expect(h.engine.forgetContact(p.id, layer: 0, now: h.now) == nil)
        #expect(h.engine.forgetContact(q.id, layer: 9, now: h.now) == nil)
        // Nothing stops it from coming back: it talks to us, it is a contact again.
        h.call("ping", [], from: p)
        #expect(Set(h.engine.contacts(layer: 0).map(\.id)) == [p.id, q.id])
    }
}
