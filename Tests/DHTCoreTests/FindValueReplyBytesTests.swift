import DHTCore
import DHTWire
import Testing

/// A held value is answered by writing the reply straight into the datagram
/// (`FoundValueReply`): for every kind of record the datagrams must be exactly what the `BValue`
/// dict path sent (docs/protocol.md §8.4), fragments included.
@Suite struct FindValueReplyBytesTests {
    /// Records as storage may hand them over: short and upper-case hex keys; empty, binary,
    /// non-UTF-8, the largest and structured values; integers at their limits.
    static func records(now: Int64) -> [StoredRecord] {
        let values: [BValue] = [
            .bytes([]),
            .bytes([0x00, 0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]),
            .bytes((0..<(256 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }),
            .bytes(Array(repeating: UInt8(ascii: "x"), count: 8_146)),
            .int(Int64.max), .int(Int64.min), .int(0),
            .list([.int(-1), .bytes([0xfe]), .list([]), .dict([:])]),
            .dict([.int(Int64.min): .bytes([0x80]), "expireSeconds": .int(1), "a": .list([.int(Int64.max)]), .bytes([]): .int(0)]),
            .string("{\"type\":\"skip_validation\",\"n\":1}")
        ]
        let keys: [[UInt8]] = [
            Array("a".utf8), Array("0".utf8), Array("00ff".utf8), Array("0123456789".utf8),
            Array("ABCDEF0123456789abcdef0123456789ABCDEF01".utf8), DHTKey.hash("one").hexUTF8,
            DHTKey.hash("two").hexUTF8, Array("fffffffffffffffffff".utf8), Array("eeeeeeeeeeeee".utf8),
            Array("1".utf8)
        ]
        return zip(keys, values).enumerated().map { i, pair in
            StoredRecord(
                layer: 0, key: pair.0, value: pair.1, lastPublished: now - 10,
                originallyPublished: i == 3 ? now - 119 : now - Int64(i * 997), publisher: i % 2 == 0 ? nil : DHTKey.hash("p\(i)"),
                expireSeconds: i == 3 ? 120 : 43_200)
        }
    }

    @Test func heldValuesAreAnsweredAsTheDictPathSentThem() throws {
        let records = Self.records(now: EngineHarness.t0.unixSeconds)
        let h = EngineHarness(records: records)
        let p = h.peer(1)
        // Known first, so that the requests below send nothing but their answers.
        _ = h.call("ping", [], from: p)
        let before = h.engine.counters
        var datagrams = 0, bytes = 0
        for record in records {
            let held = try #require(h.engine.record(layer: 0, key: record.key))
            for question in [true, false] {
                let (rpc, effects) = h.call("findValue", [.bytes(record.key)], from: p, question: question)
                // Only the answer: a request also adds the peer, which may be sent stores.
                let sent = effects.compactMap { e -> [UInt8]? in
                    guard case .send(let d, let to) = e, to == p.endpoint, case .framed(let header, _) = Framing.classify(d),
                        header.rpcID == rpc
                    else { return nil }
                    return d
                }
                let dict = BValue.dict([
                    .bytes(held.key): held.value, "expireSeconds": .int(held.expireSeconds),
                    "originallyPublished": .int(held.originallyPublished)
                ])
                let expected = try MessageCodec.datagrams(for: WireMessage(rpcID: rpc, sender: h.id(), layer: 0, body: .response(dict)))
                #expect(sent == expected, "key \(String(decoding: record.key, as: UTF8.self))")
                datagrams += expected.count
                bytes += expected.reduce(0) { $0 + $1.count }
            }
        }
        #expect(datagrams > records.count * 2)  // the 256 KiB value is fragmented
        // Counted like every other answer: one message each, every datagram and byte.
        let after = h.engine.counters
        #expect((after.layers[0]?.packetsSent ?? 0) - (before.layers[0]?.packetsSent ?? 0) == records.count * 2)
        #expect(after.datagramsSent - before.datagramsSent == datagrams)
        #expect(after.bytesSent - before.bytesSent == bytes)
        #expect(after.layers[0]?.rpcCalls["findValue"] == records.count * 2)
    }
}
