import DHTCore
import DHTWire
import Testing

/// Findings 1, 2, 5 and 11: integers at and beyond the 64-bit limits in stores, findValue
/// answers and stored records are answered and clamped, never trap, and every record expires.
@Suite struct HostileIntegerTests {
    static let value = BValue.string("{\"type\":\"skip_validation\",\"n\":1}")
    static let ages: [Int64] = [.max, 0, .min, .max, -1, 1 << 31]
    static let expires: [Int64] = [60, .max, .min, .max, -1, -(1 << 31)]

    /// Ticks in 60 s steps for `seconds`, collecting the effects.
    static func run(_ h: EngineHarness, seconds: Int) -> [Effect] {
        var out: [Effect] = []
        for _ in 0..<(seconds / 60) { out += h.tick(advance: .seconds(60)) }
        return out
    }

    @Test(arguments: zip(ages, expires))
    func aStoreWithExtremeTimesIsAnsweredAndExpires(age: Int64, expire: Int64) throws {
        let h = EngineHarness()
        let peer = h.peer(1)
        let key = DHTKey.hash("hostile-\(age)-\(expire)")
        // This node named as the original publisher, as in the attack.
        let args: [BValue] = [.bytes(key.hexUTF8), Self.value, .bytes(h.id().hexUTF8), .int(age), .int(expire)]
        let reply = try #require(h.ask("store", args, from: peer))
        #expect(reply.message.result == "OK")
        let record = try #require(h.engine.record(layer: 0, key: key.hexUTF8))
        #expect((0...RecordBounds.maxExpireSeconds).contains(record.expireSeconds))
        #expect((0...RecordBounds.maxAgeSeconds).contains(h.now.unixSeconds - record.originallyPublished))
        // A day and more of sweeps: nothing traps, the record is gone, and no republish of a
        // record a peer attributed to us was sent.
        let effects = Self.run(h, seconds: 86_400 + 180)
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) == nil)
        let stores = EngineHarness.sent(effects).filter { $0.message.call?.method == "store" }
        #expect(stores.isEmpty)
    }

    @Test func aRecordStoredForeverIsServedThenExpires() throws {
        let h = EngineHarness()
        let peer = h.peer(2)
        let key = DHTKey.hash("forever")
        _ = try #require(h.ask("store", [.bytes(key.hexUTF8), Self.value, 0, 0, .int(.max)], from: peer))
        let served = try #require(h.ask("findValue", [.bytes(key.hexUTF8)], from: peer))
        #expect(served.message.result?.dict?["expireSeconds"] == .int(RecordBounds.maxExpireSeconds))
        _ = Self.run(h, seconds: Int(RecordBounds.maxExpireSeconds) + 120)
        let after = try #require(h.ask("findValue", [.bytes(key.hexUTF8)], from: peer))
        #expect(after.message.result?.list != nil, "an expired record is still served")
    }

    @Test func recordsFromStorageWithAnyTimesAreHeldToTheBounds() throws {
        let now = EngineHarness.t0
        let id = NodeID(high: 1, middle: 2, low: 3)
        let extremes: [Int64] = [.min, -1, 0, now.unixSeconds, .max]
        var records: [StoredRecord] = []
        for (i, published) in extremes.enumerated() {
            for (j, expire) in extremes.enumerated() {
                records.append(
                    StoredRecord(
                        layer: 0, key: DHTKey.hash("disk-\(i)-\(j)").hexUTF8, value: Self.value,
                        lastPublished: extremes[(i + j) % extremes.count], originallyPublished: published,
                        publisher: id, expireSeconds: expire))
            }
        }
        let engine = DHTEngine(
            configuration: EngineConfiguration(), random: SeededRandom(seed: 5), now: now,
            layerIDs: [0: id], records: records, published: records)
        _ = engine.start(.join(seeds: [], layer: 0, attach: true), id: OperationID(1), now: now)
        for r in engine.records(layer: 0) {
            #expect((0...RecordBounds.maxExpireSeconds).contains(r.expireSeconds))
            #expect(r.originallyPublished <= now.unixSeconds)
        }
        var t = now
        for _ in 0..<((86_400 + 180) / 60) {
            t = t + .seconds(60)
            _ = engine.tick(now: t)
        }
        let sizes = engine.stateSizes
        #expect(sizes.published == 0)
        // Only nodeState is left.
        #expect(engine.records(layer: 0).map(\.key) == [DHTKey.nodeState.hexUTF8])
    }

    @Test(arguments: [Int64.min, -1, 0, Int64.max])
    func aFindValueAnswerWithAbsurdTimesIsClamped(published: Int64) throws {
        let h = EngineHarness()
        let peer = h.peer(3)
        _ = h.ask("ping", [], from: peer)
        let key = DHTKey.hash("found-\(published)")
        let effects = h.engine.start(.findValue(key: key, layer: 0, collectAll: false), id: OperationID(99), now: h.now)
        let query = try #require(EngineHarness.sent(effects).first { $0.message.call?.method == "findValue" && $0.to == peer.endpoint })
        let answer = WireMessage(
            rpcID: query.message.rpcID, sender: peer.id, layer: 0,
            body: .response(
                .dict([
                    .bytes(key.hexUTF8): Self.value, "expireSeconds": .int(.max), "originallyPublished": .int(published)
                ])))
        let receivedAt = h.now.unixSeconds
        var all = h.receive(EngineHarness.datagram(answer), from: peer.endpoint)
        for _ in 0..<10 { all += h.tick(advance: .seconds(1)) }
        let result = all.compactMap { e -> ValueLookupResult? in
            if case .completed(OperationID(99), .value(let r)) = e { return r }
            return nil
        }.first
        let found = try #require(result?.values.first)
        #expect(found.expireSeconds == RecordBounds.maxExpireSeconds)
        #expect((0...RecordBounds.maxAgeSeconds).contains(receivedAt - found.originallyPublished))
    }

    /// A store whose `age` is written with more digits than Int64 holds: Python reads it, so the
    /// call is answered (OverflowError), and nothing is stored.
    @Test(arguments: ["i99999999999999999999e", "i-99999999999999999999e", "i9223372036854775808e"])
    func aCallWithAnIntegerBeyond64BitsIsAnswered(literal: String) throws {
        let h = EngineHarness()
        let peer = h.peer(4)
        let key = DHTKey.hash("overflow")
        let rpc = h.random.nodeID()
        let m = WireMessage(
            rpcID: rpc, sender: peer.id, layer: 0,
            body: .request(method: "store", args: [.bytes(key.hexUTF8), Self.value, 0, .int(123_454_321), 60]))
        let bytes = Self.replacing("i123454321e", with: literal, in: MessageCodec.encode(m))
        let reply = try #require(h.reply(to: rpc, in: h.receive(bytes, from: peer.endpoint)))
        #expect(reply.message.errorPair?.0 == "builtins.OverflowError")
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) == nil)
        #expect(h.engine.counters.layers[0]?.rpcCalls["store"] == 1)
    }

    /// A reply carrying such an integer is dropped and counted; the call then times out.
    @Test func aReplyWithAnIntegerBeyond64BitsIsDroppedAndCounted() throws {
        let h = EngineHarness()
        let peer = h.peer(5)
        let effects = h.engine.start(.ping(peer.endpoint, layer: 0), id: OperationID(7), now: h.now)
        let ping = try #require(EngineHarness.sent(effects).first)
        let m = WireMessage(rpcID: ping.message.rpcID, sender: peer.id, layer: 0, body: .response(.list([.int(123_454_321)])))
        let bytes = Self.replacing("i123454321e", with: "i123456789012345678901234567890e", in: MessageCodec.encode(m))
        let before = h.engine.counters.dropped["malformed", default: 0]
        let out = h.receive(bytes, from: peer.endpoint)
        #expect(EngineHarness.sent(out).isEmpty)
        #expect(h.engine.counters.dropped["malformed", default: 0] == before + 1)
        #expect(!out.contains { if case .completed = $0 { return true } else { return false } })
    }

    static func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
        let o = Array(old.utf8)
        guard let i = (0...(bytes.count - o.count)).first(where: { Array(bytes[$0..<($0 + o.count)]) == o }) else {
            Issue.record("marker \(old) not found")
            return bytes
        }
        return Array(bytes[..<i]) + Array(new.utf8) + Array(bytes[(i + o.count)...])
    }
}
