import DHTCore
import DHTWire
import Testing

/// Every RPC a node serves (docs/protocol.md §5.1, §7, §8, §13.2, §17.1), driven datagram by datagram.
@Suite struct EngineServeTests {
    static let json = BValue.string("{\"type\":\"skip_validation\",\"n\":1}")

    static func key(_ s: String) -> NodeID { DHTKey.hash(s) }

    // MARK: ping, errors

    @Test(arguments: [0, 3]) func pingIsAnsweredWithPongOurLayerIDAndEchoes(layer: Int) throws {
        let h = EngineHarness(layers: [0, 3], join: [0: true, 3: false])
        let p = h.peer(1)
        let (rpc, effects) = h.call("ping", [], from: p, layer: layer)
        let sent = try #require(h.reply(to: rpc, in: effects))
        #expect(sent.message.result == "pong")
        #expect(sent.message.rpcID == rpc)
        #expect(sent.message.layer == layer)
        #expect(sent.message.sender == h.id(layer))
        #expect(sent.to == p.endpoint)
        #expect(!sent.afterPersist)
        // The frame header carries the request's rpc id too.
        guard case .framed(let header, _) = Framing.classify(sent.datagrams[0]) else {
            Issue.record("not framed")
            return
        }
        #expect(header.rpcID == rpc && header.total == 1 && header.seq == 0)
        #expect(h.id(0) != h.id(3))
    }

    @Test func pingWithAnArgumentIsATypeError() throws {
        let h = EngineHarness()
        let sent = try #require(h.ask("ping", ["x"], from: h.peer(1)))
        #expect(sent.message.errorPair?.0 == "builtins.TypeError")
        #expect(sent.message.errorPair?.1 == "ping() takes 1 positional argument but 2 were given")
    }

    @Test func unknownMethodIsAnAttributeError() throws {
        let h = EngineHarness()
        let sent = try #require(h.ask("fooBar", [], from: h.peer(1)))
        #expect(sent.message.errorPair?.0 == "builtins.AttributeError")
        #expect(sent.message.errorPair?.1 == "Invalid method: fooBar")
    }

    @Test(arguments: ["findNode", "findValue"]) func nonHexKeyIsAValueError(method: String) throws {
        let h = EngineHarness()
        let sent = try #require(h.ask(method, ["not-a-hex-key"], from: h.peer(1)))
        #expect(sent.message.errorPair?.0 == "builtins.ValueError")
        #expect(sent.message.errorPair?.1 == "invalid literal for int() with base 16: 'not-a-hex-key'")
    }

    @Test func verifyUpdateGetsAnErrorNeverAnEmptyPayload() throws {
        let h = EngineHarness()
        let (rpc, effects) = h.call("verify_update", [.bytes(Self.key("v").hexUTF8), Self.json], from: h.peer(1))
        let sent = try #require(h.reply(to: rpc, in: effects))
        #expect(sent.message.errorPair?.0 == "builtins.NotImplementedError")
        #expect(sent.message.errorPair?.1.isEmpty == false)
        #expect(sent.datagrams.allSatisfy { $0.count > FrameHeader.size })
    }

    /// Each malformed store argument gets its own refusal, and nothing is kept.
    @Test(
        arguments: [
            ([BValue.bytes([]), EngineServeTests.json], "builtins.ValueError", "key"),
            ([.int(5), EngineServeTests.json], "builtins.ValueError", "key"),
            ([.bytes(Array(repeating: UInt8(ascii: "a"), count: 257)), EngineServeTests.json], "builtins.ValueError", "key"),
            ([.bytes(EngineServeTests.key("p").hexUTF8), EngineServeTests.json, .bytes(Array("not-hex".utf8))], "builtins.ValueError", "originalPublisherID"),
            ([.bytes(EngineServeTests.key("p").hexUTF8), EngineServeTests.json, .list([])], "builtins.TypeError", "originalPublisherID"),
            ([.bytes(EngineServeTests.key("p").hexUTF8), EngineServeTests.json, .int(0), .bytes(Array("old".utf8))], "builtins.TypeError", "age"),
            (
                [.bytes(EngineServeTests.key("p").hexUTF8), EngineServeTests.json, .int(0), .int(0), .bytes(Array("long".utf8))], "builtins.TypeError",
                "expireSeconds"
            )
        ] as [([BValue], String, String)])
    func storeArgumentsAreCheckedOneByOne(args: [BValue], type: String, mentions: String) throws {
        let h = EngineHarness()
        let (rpc, effects) = h.call("store", args, from: h.peer(1))
        let sent = try #require(h.reply(to: rpc, in: effects))
        #expect(sent.message.errorPair?.0 == type)
        #expect(sent.message.errorPair?.1.contains(mentions) == true, "\(String(describing: sent.message.errorPair))")
        #expect(EngineHarness.persisted(effects).isEmpty)
        #expect(h.engine.record(layer: 0, key: Self.key("p").hexUTF8) == nil)
    }

    /// nodeState is each node's own: a remote store of it is refused with spec's ValueError.
    @Test func aRemoteStoreOfNodeStateIsRefused() throws {
        let h = EngineHarness()
        let own = h.engine.record(layer: 0, key: DHTKey.nodeState.hexUTF8)
        let (rpc, effects) = h.call("store", [.bytes(DHTKey.nodeState.hexUTF8), Self.json], from: h.peer(1))
        let sent = try #require(h.reply(to: rpc, in: effects))
        #expect(sent.message.errorPair?.0 == "builtins.ValueError")
        #expect(sent.message.errorPair?.1 == "nodeState is kept by each node for itself")
        #expect(EngineHarness.persisted(effects).isEmpty)
        #expect(h.engine.record(layer: 0, key: DHTKey.nodeState.hexUTF8) == own)  // the node's own, unchanged
    }

    /// `maxRecords` bounds the table: a new key past it is refused, an update of a kept key is not.
    @Test func maxRecordsRefusesNewKeysButNotUpdates() throws {
        var config = EngineConfiguration()
        config.maxRecords = 3
        let h = EngineHarness(configuration: config)
        // The node's own nodeState record is one of the three.
        #expect(h.engine.record(layer: 0, key: DHTKey.nodeState.hexUTF8) != nil)
        for name in ["a", "b"] {
            let ok = try #require(h.ask("store", [.bytes(Self.key(name).hexUTF8), Self.json], from: h.peer(1)))
            #expect(ok.message.result == "OK")
        }
        let third = try #require(h.ask("store", [.bytes(Self.key("c").hexUTF8), Self.json], from: h.peer(1)))
        #expect(third.message.errorPair?.0 == "builtins.ValueError")
        #expect(third.message.errorPair?.1 == "this node holds the most records it will keep")
        #expect(h.engine.record(layer: 0, key: Self.key("c").hexUTF8) == nil)
        let update = BValue.string("{\"type\":\"skip_validation\",\"n\":2}")
        let again = try #require(h.ask("store", [.bytes(Self.key("a").hexUTF8), update], from: h.peer(1)))
        #expect(again.message.result == "OK")
        #expect(h.engine.record(layer: 0, key: Self.key("a").hexUTF8)?.value == update)
    }

    // MARK: store

    /// 2…5 args, with the defaults of docs/protocol.md §8.2 for the missing ones.
    @Test(arguments: 2...5) func storeAcceptsTwoToFiveArgsAndAnswersOnlyOnceDurable(argCount: Int) throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let publisher = h.random.nodeID()
        let key = Self.key("store-\(argCount)")
        let all: [BValue] = [.bytes(key.hexUTF8), Self.json, .bytes(publisher.hexUTF8), 100, 300]
        let (rpc, effects) = h.call("store", Array(all.prefix(argCount)), from: p)
        // No reply outside the persist effect: "OK" waits for durability.
        let outside = effects.filter { if case .persist = $0 { return false } else { return true } }
        #expect(EngineHarness.sent(outside).allSatisfy { $0.message.rpcID != rpc })
        let persistIndex = try #require(effects.firstIndex { if case .persist = $0 { return true } else { return false } })
        guard case .persist(let changes, let then) = effects[persistIndex] else { return }
        let reply = try #require(h.reply(to: rpc, in: then))
        #expect(reply.message.result == "OK")
        #expect(reply.to == p.endpoint)
        guard case .put(let r)? = changes.first, changes.count == 1 else {
            Issue.record("expected one put: \(changes)")
            return
        }
        #expect(r == h.engine.record(layer: 0, key: key.hexUTF8))
        #expect(r.value == Self.json)
        #expect(r.lastPublished == h.now.unixSeconds)
        #expect(r.publisher == (argCount >= 3 ? publisher : p.id))
        #expect(r.originallyPublished == h.now.unixSeconds - (argCount >= 4 ? 100 : 0))
        #expect(r.expireSeconds == (argCount >= 5 ? 300 : 43_200))
    }

    @Test func storeWithIntZeroPublisherHasNoPublisher() throws {
        let h = EngineHarness()
        let key = Self.key("cache")
        let sent = try #require(h.ask("store", [.bytes(key.hexUTF8), Self.json, 0, 0, 43_200], from: h.peer(1)))
        #expect(sent.message.result == "OK")
        let r = try #require(h.engine.record(layer: 0, key: key.hexUTF8))
        #expect(r.publisher == nil)
    }

    @Test func storeWithOneArgIsATypeError() throws {
        let h = EngineHarness()
        let sent = try #require(h.ask("store", [.bytes(Self.key("x").hexUTF8)], from: h.peer(1)))
        #expect(sent.message.errorPair?.0 == "builtins.TypeError")
        #expect(sent.message.errorPair?.1 == "store() missing 1 required positional argument: 'value'")
    }

    struct Validation: Sendable, CustomStringConvertible {
        var name: String
        var previous: String?
        var new: String
        /// nil: accepted; otherwise the exact error text, or its prefix when `prefixOnly`.
        var error: String?
        var prefixOnly = false
        var description: String { name }
    }

    static let validations: [Validation] = [
        Validation(name: "not json", previous: nil, new: "plain text", error: "input data is not a json value: 'plain text'"),
        Validation(name: "no type", previous: nil, new: "{\"a\":1}", error: "input data do not have \"type\" field present: ", prefixOnly: true),
        Validation(name: "empty type", previous: nil, new: "{\"type\":\"\"}", error: "input data do not have \"type\" field present: ", prefixOnly: true),
        Validation(
            name: "type mismatch", previous: "{\"type\":\"suppliers\",\"revision\":1}", new: "{\"type\":\"identity\",\"revision\":2}",
            error: "new json data type do not match to existing record type: ", prefixOnly: true),
        Validation(
            name: "missing revision", previous: "{\"type\":\"suppliers\",\"revision\":1}", new: "{\"type\":\"suppliers\"}",
            error: "new json data must have a revision"),
        Validation(
            name: "lower revision", previous: "{\"type\":\"suppliers\",\"revision\":5}", new: "{\"type\":\"suppliers\",\"revision\":4}",
            error: "new json data must increment revision number, current revision is 5 "),
        Validation(
            name: "equal revision", previous: "{\"type\":\"suppliers\",\"revision\":5,\"x\":1}", new: "{\"type\":\"suppliers\",\"revision\":5,\"x\":2}",
            error: nil),
        Validation(name: "higher revision", previous: "{\"type\":\"suppliers\",\"revision\":5}", new: "{\"type\":\"suppliers\",\"revision\":6}", error: nil),
        Validation(name: "previous not json", previous: nil, new: "{\"type\":\"identity\"}", error: nil)
    ]

    @Test(arguments: validations) func storeValidation(_ v: Validation) throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let key = BValue.bytes(Self.key(v.name).hexUTF8)
        if let previous = v.previous {
            #expect(try #require(h.ask("store", [key, .string(previous)], from: p)).message.result == "OK")
        }
        let (rpc, effects) = h.call("store", [key, .string(v.new)], from: p)
        let sent = try #require(h.reply(to: rpc, in: effects))
        let stored = h.engine.record(layer: 0, key: key.byteString!)?.value
        if let error = v.error {
            let (type, text) = try #require(sent.message.errorPair)
            #expect(type == "builtins.ValueError")
            #expect(v.prefixOnly ? text.hasPrefix(error) : text == error, "got \(text)")
            #expect(EngineHarness.persisted(effects).isEmpty)
            #expect(stored == v.previous.map { .string($0) })
            #expect(EngineHarness.events(effects).contains { if case .storeRefused(_, _, _, let reason) = $0 { reason == text } else { false } })
        } else {
            #expect(sent.message.result == "OK")
            #expect(sent.afterPersist)
            #expect(stored == .string(v.new))
        }
    }

    @Test func validationOffAcceptsPlainText() throws {
        var config = EngineConfiguration()
        config.validateStores = false
        let h = EngineHarness(configuration: config)
        let key = Self.key("plain")
        #expect(try #require(h.ask("store", [.bytes(key.hexUTF8), "plain text"], from: h.peer(1))).message.result == "OK")
        #expect(h.engine.record(layer: 0, key: key.hexUTF8)?.value == "plain text")
    }

    @Test func oversizedValueIsRefused() throws {
        var config = EngineConfiguration()
        config.maxValueBytes = 200
        let h = EngineHarness(configuration: config)
        let key = Self.key("big")
        let value = BValue.string("{\"type\":\"skip_validation\",\"blob\":\"" + String(repeating: "y", count: 300) + "\"}")
        let sent = try #require(h.ask("store", [.bytes(key.hexUTF8), value], from: h.peer(1)))
        #expect(sent.message.errorPair?.0 == "builtins.ValueError")
        #expect(sent.message.errorPair?.1.hasPrefix("value too large") == true)
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) == nil)
    }

    /// A store larger than one datagram, fragmented as a non-Python client does (V22).
    @Test func fragmentedStoreIsReassembledAndAnswered() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let key = Self.key("20k")
        let value = BValue.string("{\"type\":\"skip_validation\",\"blob\":\"" + String(repeating: "y", count: 20_000) + "\"}")
        let rpc = h.random.nodeID()
        let payload = MessageCodec.encode(
            WireMessage(
                rpcID: rpc, sender: p.id, layer: 0,
                body: .request(method: "store", args: [.bytes(key.hexUTF8), value])))
        let datagrams = try Framing.datagrams(payload: payload, rpcID: rpc)
        #expect(datagrams.count == 3)
        for d in datagrams.dropLast() { #expect(EngineHarness.sent(h.receive(d, from: p.endpoint)).isEmpty) }
        let sent = try #require(h.reply(to: rpc, in: h.receive(datagrams.last!, from: p.endpoint)))
        #expect(sent.message.result == "OK")
        #expect(h.engine.record(layer: 0, key: key.hexUTF8)?.value == value)
        // And findValue serves it back in fragments of at most 8192 bytes.
        let back = try #require(h.ask("findValue", [.bytes(key.hexUTF8)], from: p))
        #expect(back.datagrams.count == 3 && back.datagrams.allSatisfy { $0.count <= 8192 })
        #expect(back.message.result?.dict?[.bytes(key.hexUTF8)] == value)
    }

    // MARK: findValue, findNode

    /// V8: `{key: value, expireSeconds, originallyPublished}`, encoded expireSeconds,
    /// originallyPublished, key — byte for byte.
    @Test func findValueHitIsTheV8Dict() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let key = Self.key("v8")
        #expect(try #require(h.ask("store", [.bytes(key.hexUTF8), Self.json, 0, 7, 3600], from: p)).message.result == "OK")
        h.now = h.now + .seconds(20)
        let (rpc, effects) = h.call("findValue", [.bytes(key.hexUTF8)], from: p)
        let sent = try #require(h.reply(to: rpc, in: effects))
        let published = EngineHarness.t0.unixSeconds - 7
        #expect(sent.message.result == .dict([.bytes(key.hexUTF8): Self.json, "expireSeconds": 3600, "originallyPublished": .int(published)]))
        var expected = FrameHeader(total: 1, seq: 0, rpcID: rpc).encoded
        expected += Array(
            "di0ei1ei1e40:\(rpc.hex)i2e40:\(h.id().hex)i3ed13:expireSecondsi3600e19:originallyPublishedi\(published)e40:\(key.hex)32:{\"type\":\"skip_validation\",\"n\":1}ei5ei0ee"
                .utf8)
        #expect(sent.datagrams == [expected])
        #expect(EngineHarness.events(effects).contains(.valueServed(layer: 0, keyText: key.hex, to: p.endpoint)))
    }

    /// findNode, and a findValue miss, return at most k `[id, ip, port, layer]` contacts from
    /// the table, never the requester.
    @Test(arguments: ["findNode", "findValue"]) func contactListsExcludeTheRequester(method: String) throws {
        let h = EngineHarness()
        var peers: [EngineHarness.Peer] = []
        for i in 1...30 {
            let p = h.peer(i)
            peers.append(p)
            _ = h.ask("ping", [], from: p)
        }
        let table = Set(h.engine.contacts(layer: 0).map(\.id))
        let requester = try #require(peers.first { table.contains($0.id) })
        // The key is the requester's own id: it would be the closest contact.
        let sent = try #require(h.ask(method, [.bytes(requester.id.hexUTF8)], from: requester))
        let list = try #require(sent.message.result?.list)
        #expect(list.count == min(4, table.count - 1))
        for item in list {
            let c = try #require(item.list)
            #expect(c.count == 4)
            let id = try #require(c[0].byteString.flatMap(NodeID.init(hexUTF8:)))
            #expect(id != requester.id)
            #expect(table.contains(id))
            let peer = try #require(peers.first { $0.id == id })
            #expect(c[1].string == peer.endpoint.host)
            #expect(c[2].int == Int64(peer.endpoint.port))
            #expect(c[3] == 0)
        }
    }

    // MARK: request, delete

    @Test func requestAnswersNodeDataOrZeroWithMixedKeys() throws {
        let h = EngineHarness(layers: [0, 2], join: [0: true, 2: true])
        h.engine.setNodeData("idurl", "http://127.0.0.1:8084/alice.xml", layer: 2)
        let hit = try #require(h.ask("request", ["idurl"], from: h.peer(1), layer: 2))
        #expect(hit.message.result == .dict(["idurl": "http://127.0.0.1:8084/alice.xml", .int(2): 2]))
        // Mixed keys: the str key sorts before the int key (V14).
        let bytes = hit.datagrams[0]
        let tail = Array("i3ed5:idurl31:http://127.0.0.1:8084/alice.xmli2ei2eei5ei2ee".utf8)
        #expect(Array(bytes.suffix(tail.count)) == tail)
        let miss = try #require(h.ask("request", ["nothing"], from: h.peer(1), layer: 0))
        #expect(miss.message.result == .dict(["nothing": 0, .int(0): 0]))
    }

    @Test func deleteIsRefusedUnlessAllowed() throws {
        let h = EngineHarness()
        let key = Self.key("d")
        _ = h.ask("store", [.bytes(key.hexUTF8), Self.json], from: h.peer(1))
        let sent = try #require(h.ask("delete", [.bytes(key.hexUTF8)], from: h.peer(2)))
        #expect(sent.message.errorPair?.0 == "builtins.PermissionError")
        #expect(sent.message.errorPair?.1 == "delete is disabled on this node")
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) != nil)
    }

    @Test func deleteWhenAllowedDeletesAndPersists() throws {
        var config = EngineConfiguration()
        config.allowDelete = true
        let h = EngineHarness(configuration: config)
        let key = Self.key("d")
        let p = h.peer(2)
        _ = h.ask("store", [.bytes(key.hexUTF8), Self.json], from: h.peer(1))
        let (rpc, effects) = h.call("delete", [.bytes(key.hexUTF8)], from: p)
        #expect(EngineHarness.persisted(effects) == [.delete(layer: 0, key: key.hexUTF8)])
        let sent = try #require(h.reply(to: rpc, in: effects))
        #expect(sent.afterPersist)
        #expect(sent.message.result?.list != nil)
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) == nil)
        #expect(EngineHarness.events(effects).contains(.valueDeleted(layer: 0, keyText: key.hex, by: p.endpoint)))
    }

    // MARK: Layers, message types, framing, addresses

    @Test func aLayerNotCreatedGetsNoReplyAndADropEvent() {
        let h = EngineHarness()
        let p = h.peer(1)
        let (_, effects) = h.call("findNode", [.bytes(Self.key("x").hexUTF8)], from: p, layer: 7)
        #expect(EngineHarness.sent(effects).isEmpty)
        #expect(EngineHarness.events(effects).contains { if case .datagramDropped(p.endpoint, _, .unknownLayer(7)) = $0 { true } else { false } })
        #expect(h.engine.counters.dropped["unknown_layer"] == 1)
    }

    @Test func aCreatedButNotJoinedLayerIsInactive() throws {
        let h = EngineHarness(layers: [0, 5], join: [0: true])
        #expect(h.engine.state(layer: 5) == .created)
        let p = h.peer(1)
        let key = BValue.bytes(Self.key("x").hexUTF8)
        for method in ["findNode", "findValue"] {
            let sent = try #require(h.ask(method, [key], from: p, layer: 5))
            #expect(sent.message.result == .list([]))
            #expect(sent.message.sender == h.id(5) && sent.message.layer == 5)
        }
        let store = try #require(h.ask("store", [key, Self.json], from: p, layer: 5))
        #expect(store.message.errorPair?.0 == "builtins.ValueError")
        #expect(store.message.errorPair?.1 == "Layer is not active")
        let request = try #require(h.ask("request", ["idurl"], from: p, layer: 5))
        #expect(request.message.result == .dict(["idurl": 0, .int(5): 5]))
    }

    @Test func aQuestionIsAnsweredButItsSenderIsNotAdded() throws {
        let h = EngineHarness(layers: [0, 3], join: [0: true, 3: true])
        let asker = h.peer(1), requester = h.peer(2)
        let q = try #require(h.ask("findNode", [.bytes(asker.id.hexUTF8)], from: asker, layer: 3, question: true))
        #expect(q.message.result?.list != nil && q.message.layer == 3 && q.message.sender == h.id(3))
        #expect(h.engine.routingTable(layer: 3)?.contact(asker.id) == nil)
        #expect(try #require(h.ask("ping", [], from: requester, layer: 3)).message.result == "pong")
        #expect(h.engine.routingTable(layer: 3)?.contact(requester.id)?.endpoint == requester.endpoint)
        #expect(h.engine.routingTable(layer: 0)?.contact(requester.id) == nil)
    }

    @Test func anUnframedDatagramGetsAFramedReply() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        let rpc = h.random.nodeID()
        let bare = MessageCodec.encode(WireMessage(rpcID: rpc, sender: p.id, layer: 0, body: .request(method: "ping", args: [])))
        let sent = try #require(h.reply(to: rpc, in: h.receive(bare, from: p.endpoint)))
        #expect(sent.message.result == "pong")
        guard case .framed(let header, _) = Framing.classify(sent.datagrams[0]) else {
            Issue.record("reply not framed")
            return
        }
        #expect(header.rpcID == rpc)
    }

    @Test func repliesGoToTheSourceAddress() throws {
        let h = EngineHarness()
        let p = h.peer(1)
        _ = h.ask("ping", [], from: p)
        let moved = EngineHarness.Peer(id: p.id, endpoint: Endpoint(host: "192.168.7.7", port: 5555)!)
        let sent = try #require(h.ask("ping", [], from: moved))
        #expect(sent.to == moved.endpoint)
        #expect(h.engine.counters.layers[0]?.rpcCalls["ping"] == 2)
    }

    @Test func aMessageCarryingOurOwnIDIsDropped() {
        let h = EngineHarness()
        let me = EngineHarness.Peer(id: h.id(), endpoint: h.peer(1).endpoint)
        let (_, effects) = h.call("ping", [], from: me)
        #expect(EngineHarness.sent(effects).isEmpty)
        #expect(h.engine.contacts(layer: 0).isEmpty)
    }
}
