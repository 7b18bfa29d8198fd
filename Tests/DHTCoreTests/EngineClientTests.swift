import DHTCore
import DHTWire
import Testing

/// Our own calls: timeouts, reply matching, REQUEST vs QUESTION, and the per-layer counters.
@Suite struct EngineClientTests {
    /// The calls (requests or questions) among `effects`.
    static func calls(_ effects: [Effect]) -> [EngineHarness.Sent] {
        EngineHarness.sent(effects).filter { $0.message.call != nil }
    }

    static func completed(_ effects: [Effect]) -> [(OperationID, OperationResult)] {
        effects.compactMap { if case .completed(let id, let r) = $0 { return (id, r) } else { return nil } }
    }

    /// A reply from `peer` to our call `rpcID`.
    static func answer(
        _ h: EngineHarness, _ rpcID: NodeID, _ value: BValue, from peer: EngineHarness.Peer,
        at endpoint: Endpoint? = nil, layer: Int = 0
    ) -> [Effect] {
        h.receive(
            EngineHarness.datagram(WireMessage(rpcID: rpcID, sender: peer.id, layer: layer, body: .response(value))),
            from: endpoint ?? peer.endpoint)
    }

    @Test func timeoutsAreReportedCountedAndEvictAfterMaxFailures() throws {
        let h = EngineHarness()
        let timeout = h.engine.configuration.rpcTimeout
        #expect(h.engine.configuration.maxFailures == 2)
        let p = h.peer(1)
        _ = h.ask("ping", [], from: p)
        #expect(h.engine.routingTable(layer: 0)?.contact(p.id) != nil)

        for attempt in 1...2 {
            let op = OperationID(UInt64(100 + attempt))
            let started = h.engine.start(.findNode(h.random.nodeID(), layer: 0), id: op, now: h.now)
            let sent = Self.calls(started)
            #expect(sent.count == 1 && sent.first?.to == p.endpoint && sent.first?.message.call?.method == "findNode")
            #expect(h.engine.pendingRPCs.count == 1)
            #expect(h.engine.nextWakeup <= h.now + timeout)

            // Not yet timed out; but the lookup stopped counting on the silent peer after
            // `lookupSoftTimeout` and, with nobody else to ask, has already failed.
            let early = h.tick(advance: timeout - .milliseconds(1))
            #expect(!EngineHarness.events(early).contains { if case .rpcTimedOut = $0 { true } else { false } })
            #expect(h.engine.pendingRPCs.count == 1)
            let done = Self.completed(early)
            #expect(done.count == 1 && done.first?.0 == op)
            if case .failed(let f)? = done.first?.1 { #expect(f.code == .timeout) } else { Issue.record("lookup did not fail: \(done)") }

            let late = h.tick(advance: .milliseconds(2))
            let events = EngineHarness.events(late)
            let timedOut = events.compactMap { if case .rpcTimedOut(let info) = $0 { info } else { nil } }
            #expect(timedOut.count == 1)
            #expect(timedOut.first?.peerID == p.id && timedOut.first?.method == "findNode")
            #expect(h.engine.counters.layers[0]?.rpcResponses["timeout"] == attempt)
            #expect(h.engine.pendingRPCs.isEmpty)
            if attempt == 1 {
                #expect(events.contains { if case .contactFailed(0, let c, 1) = $0 { c.id == p.id } else { false } })
                #expect(h.engine.routingTable(layer: 0)?.contact(p.id)?.failures == 1)
            } else {
                #expect(events.contains { if case .contactEvicted(0, let c, _) = $0 { c.id == p.id } else { false } })
                #expect(h.engine.routingTable(layer: 0)?.contact(p.id) == nil)
            }
            #expect(Self.completed(late).isEmpty)
        }
    }

    @Test func pingingThisNodesOwnAddressFailsAtOnce() {
        let h = EngineHarness()
        let ownAddress = h.peer(5).endpoint
        let sent = Self.calls(h.engine.start(.ping(ownAddress, layer: 0), id: OperationID(3), now: h.now))
        let call = try! #require(sent.first)
        // The ping arrives back at this very node, which answers it; the answer carries our id.
        let echo = WireMessage(rpcID: call.message.rpcID, sender: h.id(), layer: 0, body: .response("pong"))
        let effects = h.receive(EngineHarness.datagram(echo), from: ownAddress)
        guard case .failed(let f)? = Self.completed(effects).first?.1 else {
            Issue.record("no failure: \(effects)")
            return
        }
        #expect(f.message == "\(ownAddress) is this node itself")
        #expect(h.engine.pendingRPCs.isEmpty)
    }

    @Test func aPingTimeoutFailsTheOperationWithoutChargingAnyone() {
        let h = EngineHarness()
        let target = h.peer(9).endpoint
        let sent = Self.calls(h.engine.start(.ping(target, layer: 0), id: OperationID(1), now: h.now))
        #expect(sent.count == 1 && sent.first?.to == target)
        let effects = h.tick(advance: h.engine.configuration.rpcTimeout)
        guard case .failed(let f)? = Self.completed(effects).first?.1 else {
            Issue.record("no failure")
            return
        }
        #expect(f.code == .timeout)
        #expect(h.engine.counters.layers[0]?.rpcResponses["timeout"] == 1)
        #expect(!EngineHarness.events(effects).contains { if case .contactFailed = $0 { true } else { false } })
    }

    @Test func repliesFromTheWrongAddressAreDroppedAsUnmatched() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let op = OperationID(7)
        let call = try #require(Self.calls(h.engine.start(.ping(p.endpoint, layer: 0), id: op, now: h.now)).first)
        let rpc = call.message.rpcID
        h.now = h.now + .milliseconds(30)

        // Same rpc id, another address: dropped, the call stays pending.
        let wrong = Self.answer(h, rpc, "pong", from: p, at: h.peer(2).endpoint)
        #expect(EngineHarness.events(wrong).contains { if case .datagramDropped(_, _, .unmatchedReply) = $0 { true } else { false } })
        #expect(Self.completed(wrong).isEmpty)
        #expect(h.engine.pendingRPCs.map(\.rpcID) == [rpc])
        // An rpc id we never used: dropped.
        let unknown = Self.answer(h, h.random.nodeID(), "pong", from: p)
        #expect(EngineHarness.events(unknown).contains { if case .datagramDropped(_, _, .unmatchedReply) = $0 { true } else { false } })
        #expect(h.engine.counters.dropped["unmatched_reply"] == 2)
        #expect(h.engine.routingTable(layer: 0)?.contact(p.id) == nil)

        // The real answer completes the ping and adds the peer with its RTT.
        let right = Self.answer(h, rpc, "pong", from: p)
        guard case .pong(let reply)? = Self.completed(right).first?.1 else {
            Issue.record("no pong")
            return
        }
        #expect(reply.id == p.id && reply.endpoint == p.endpoint && reply.rtt == .milliseconds(30))
        #expect(h.engine.routingTable(layer: 0)?.contact(p.id)?.rtt == .milliseconds(30))
        #expect(h.engine.counters.layers[0]?.rpcResponses["ping"] == 1)
        // A second copy of the answer is unmatched.
        let dup = Self.answer(h, rpc, "pong", from: p)
        #expect(EngineHarness.events(dup).contains { if case .datagramDropped(_, _, .unmatchedReply) = $0 { true } else { false } })
    }

    @Test func aRemoteErrorFailsThePing() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let call = try #require(Self.calls(h.engine.start(.ping(p.endpoint, layer: 0), id: OperationID(3), now: h.now)).first)
        let effects = h.receive(
            EngineHarness.datagram(
                WireMessage(
                    rpcID: call.message.rpcID, sender: p.id, layer: 0,
                    body: .error(type: "builtins.TypeError", message: "nope"))),
            from: p.endpoint)
        guard case .failed(let f)? = Self.completed(effects).first?.1 else {
            Issue.record("no failure")
            return
        }
        #expect(f.code == .remoteError && f.message.contains("nope"))
        #expect(EngineHarness.events(effects).contains { if case .rpcAnswered(_, _, let e) = $0 { e == "builtins.TypeError: nope" } else { false } })
    }

    /// docs/protocol.md §7: joined-unattached layers send QUESTIONs, attached ones REQUESTs.
    @Test(arguments: [false, true]) func attachmentDecidesTheMessageType(attach: Bool) throws {
        let h = EngineHarness(layers: [0, 3], join: [0: true, 3: attach])
        #expect(h.engine.state(layer: 3) == (attach ? .attached : .joined))
        let p = h.peer(1)
        _ = h.ask("ping", [], from: p, layer: 3)
        let lookup = Self.calls(h.engine.start(.findNode(h.random.nodeID(), layer: 3), id: OperationID(1), now: h.now))
        #expect(lookup.count == 1)
        #expect(lookup.first?.message.call?.question == !attach)
        #expect(lookup.first?.message.layer == 3 && lookup.first?.message.sender == h.id(3))
        let ping = Self.calls(h.engine.start(.ping(p.endpoint, layer: 3), id: OperationID(2), now: h.now))
        #expect(ping.first?.message.call?.question == !attach)
        // Layer 0 is attached: REQUESTs.
        let zero = Self.calls(h.engine.start(.ping(p.endpoint, layer: 0), id: OperationID(3), now: h.now))
        #expect(zero.first?.message.call?.question == false)
        // Flipping the attachment flips the type.
        h.engine.setAttached(!attach, layer: 3)
        let flipped = Self.calls(h.engine.start(.ping(p.endpoint, layer: 3), id: OperationID(4), now: h.now))
        #expect(flipped.first?.message.call?.question == attach)
    }

    @Test func joiningThroughASeedSendsFindNodeForOurOwnID() throws {
        let h = EngineHarness(layers: [0, 6], join: [0: true])
        let seed = h.peer(1)
        let calls = Self.calls(h.engine.start(.join(seeds: [seed.endpoint], layer: 6, attach: false), id: OperationID(1), now: h.now))
        let call = try #require(calls.first)
        #expect(calls.count == 1 && call.to == seed.endpoint)
        #expect(call.message.call?.method == "findNode" && call.message.call?.question == true)
        #expect(call.message.call?.args == [.bytes(h.id(6).hexUTF8)])
        #expect(h.engine.state(layer: 6) == .joining)
        let done = Self.answer(h, call.message.rpcID, .list([]), from: seed, layer: 6)
        guard case .joined? = Self.completed(done).first?.1 else {
            Issue.record("join did not finish")
            return
        }
        #expect(h.engine.state(layer: 6) == .joined)
        // Its response adds the seed under its real id.
        #expect(h.engine.routingTable(layer: 6)?.contact(seed.id)?.endpoint == seed.endpoint)
    }

    @Test func countersArePerLayer() throws {
        let h = EngineHarness(layers: [0, 3], join: [0: true, 3: true])
        let a = h.peer(1), b = h.peer(2)
        _ = h.ask("ping", [], from: a)
        _ = h.ask("ping", [], from: b)
        _ = h.ask("findNode", [.bytes(a.id.hexUTF8)], from: a)
        _ = h.ask("fooBar", [], from: a)
        _ = h.ask("findValue", [.bytes(a.id.hexUTF8)], from: b, layer: 3, question: true)
        let call = try #require(Self.calls(h.engine.start(.ping(a.endpoint, layer: 0), id: OperationID(1), now: h.now)).first)
        _ = Self.answer(h, call.message.rpcID, "pong", from: a)
        _ = h.engine.start(.ping(b.endpoint, layer: 3), id: OperationID(2), now: h.now)
        _ = h.tick(advance: h.engine.configuration.rpcTimeout + .seconds(1))

        let zero = try #require(h.engine.counters.layers[0])
        #expect(zero.rpcCalls == ["ping": 2, "findNode": 1, "other": 1])  // unknown methods share one counter (MethodName)
        #expect(zero.rpcResponses == ["ping": 1])
        #expect(zero.packetsReceived == 5)
        #expect(zero.packetsSent == 5)
        let three = try #require(h.engine.counters.layers[3])
        #expect(three.rpcCalls == ["findValue": 1])
        #expect(three.rpcResponses == ["timeout": 1])
        #expect(three.packetsReceived == 1)
        #expect(three.packetsSent == 2)
        #expect(h.engine.counters.datagramsReceived == 6)
    }
}
