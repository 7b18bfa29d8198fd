import DHTCore
import DHTWire
import Foundation
import Testing

/// `FoundValueReply` writes findValue's answer straight into the datagram: its bytes must be
/// exactly those of the `BValue` dict path (`Bencode.encode` of the dict, `datagrams(for:)` of
/// the response) for any key, value and times, and those of Python's captured answers.
@Suite struct FoundValueReplyTests {
    /// The engine's own seeded generator (SplitMix64), so every run sees the same inputs.
    struct SplitMix64: RandomNumberGenerator {
        let source: SeededRandom
        init(seed: UInt64) { source = SeededRandom(seed: seed) }
        func next() -> UInt64 { source.next() }
        func below(_ n: Int) -> Int { source.uniform(max(1, n)) }
    }

    /// What the old path sent: the dict built as a `BValue`, in a `.response` message.
    static func dictPathDatagrams(_ reply: FoundValueReply, rpcID: NodeID, sender: NodeID, layer: Int) throws -> [[UInt8]] {
        try MessageCodec.datagrams(for: WireMessage(rpcID: rpcID, sender: sender, layer: layer, body: .response(reply.dict)))
    }

    static func encoded(_ reply: FoundValueReply) -> [UInt8] {
        var out: [UInt8] = []
        reply.encode(into: &out)
        return out
    }

    /// Keys around the two field names and their length prefixes, plus random bytes of any length.
    static func key(_ g: inout SplitMix64) -> [UInt8] {
        let fixed: [[UInt8]] = [
            [], Array("a".utf8), Array("0".utf8), Array("1".utf8), Array("expireSeconds".utf8),
            Array("originallyPublished".utf8), Array("expireSecond".utf8), Array("expireSecondt".utf8),
            Array("expireSecondr".utf8), Array("originallyPublishee".utf8), Array("originallyPublishez".utf8),
            Array("abcdefghij".utf8), Array(repeating: 0xff, count: 13), Array(repeating: 0x00, count: 19),
            Array(repeating: UInt8(ascii: "f"), count: 40), Array(repeating: UInt8(ascii: "0"), count: 100)
        ]
        switch g.below(4) {
        case 0: return fixed[g.below(fixed.count)]
        case 1: return NodeID.random(using: &g).hexUTF8
        case 2:
            let hex = Array("0123456789abcdefABCDEF".utf8)
            return (0..<(1 + g.below(40))).map { _ in hex[g.below(hex.count)] }
        default:
            let lengths = [1, 2, 9, 10, 11, 12, 13, 14, 18, 19, 20, 99, 100, 101, 1000]
            return (0..<lengths[g.below(lengths.count)]).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        }
    }

    static func int(_ g: inout SplitMix64) -> Int64 {
        let edges: [Int64] = [0, 1, -1, 9, 10, -10, 43_200, Int64.max, Int64.min, Int64.max - 1, Int64.min + 1]
        return g.below(2) == 0 ? edges[g.below(edges.count)] : Int64(bitPattern: g.next()) >> UInt64(g.below(64))
    }

    /// Values of every shape: empty, binary, non-UTF-8, big integers, nested lists and dicts.
    static func value(_ g: inout SplitMix64, depth: Int = 0) -> BValue {
        switch g.below(depth > 3 ? 3 : 6) {
        case 0: return .int(int(&g))
        case 1: return .bytes((0..<g.below(300)).map { _ in UInt8(truncatingIfNeeded: g.next()) })
        case 2:
            let texts: [[UInt8]] = [[], [0xc3, 0x28], [0xff, 0xfe], [0xed, 0xa0, 0x80], Array("{\"type\":\"skip_validation\"}".utf8)]
            return .bytes(texts[g.below(texts.count)])
        case 3: return .list((0..<g.below(5)).map { _ in value(&g, depth: depth + 1) })
        case 4:
            var d: [BKey: BValue] = [:]
            for _ in 0..<g.below(5) {
                let k: BKey = g.below(2) == 0 ? .int(int(&g)) : .bytes(key(&g))
                d[k] = value(&g, depth: depth + 1)
            }
            return .dict(d)
        default: return .bytes(Array("{\"type\":\"skip_validation\",\"n\":\(g.next())}".utf8))
        }
    }

    @Test func generatedRepliesMatchTheDictPath() throws {
        var g = SplitMix64(seed: 13)
        for i in 0..<3_000 {
            let reply = FoundValueReply(
                key: Self.key(&g), value: Self.value(&g), expireSeconds: Self.int(&g), originallyPublished: Self.int(&g))
            #expect(Self.encoded(reply) == Bencode.encode(reply.dict), "reply \(i): \(reply)")
            let rpcID = NodeID.random(using: &g), sender = NodeID.random(using: &g)
            let layer = g.below(3) == 0 ? 1023 : g.below(3)
            let datagrams = try reply.datagrams(rpcID: rpcID, sender: sender, layer: layer)
            #expect(datagrams == (try Self.dictPathDatagrams(reply, rpcID: rpcID, sender: sender, layer: layer)), "reply \(i)")
        }
    }

    /// Values up to the largest a node holds, and beyond one datagram: the fragments match too.
    @Test(arguments: [0, 1, 7_800, 8_146, 8_147, 65_536, 262_144])
    func largeValuesMatchTheDictPath(bytes: Int) throws {
        var g = SplitMix64(seed: UInt64(bytes))
        let value = BValue.bytes((0..<bytes).map { _ in UInt8(truncatingIfNeeded: g.next()) })
        let reply = FoundValueReply(key: NodeID.random(using: &g).hexUTF8, value: value, expireSeconds: 43_200, originallyPublished: 1_800_000_000)
        let rpcID = NodeID.random(using: &g), sender = NodeID.random(using: &g)
        let datagrams = try reply.datagrams(rpcID: rpcID, sender: sender, layer: 0)
        #expect(datagrams == (try Self.dictPathDatagrams(reply, rpcID: rpcID, sender: sender, layer: 0)))
        if bytes > Framing.maxFragmentPayload { #expect(datagrams.count > 1) } else if bytes <= 7_800 { #expect(datagrams.count == 1) }
        #expect(datagrams.allSatisfy { $0.count <= Framing.maxDatagramSize })
    }

    /// The order is that of the encoded keys, length prefix included (docs/protocol.md §4).
    @Test func keysSortByTheirEncoding() {
        let cases: [(key: String, expected: String)] = [
            ("k", "d13:expireSecondsi5e19:originallyPublishedi7e1:k1:ve"),
            ("0123456789", "d10:01234567891:v13:expireSecondsi5e19:originallyPublishedi7ee"),
            ("abcdefghijklmn", "d13:expireSecondsi5e14:abcdefghijklmn1:v19:originallyPublishedi7ee"),
            ("aaaaaaaaaaaaa", "d13:aaaaaaaaaaaaa1:v13:expireSecondsi5e19:originallyPublishedi7ee"),
            ("zzzzzzzzzzzzzzzzzzz", "d13:expireSecondsi5e19:originallyPublishedi7e19:zzzzzzzzzzzzzzzzzzz1:ve"),
            // A key equal to a field's name is that field, as in Python's dict literal.
            ("expireSeconds", "d13:expireSecondsi5e19:originallyPublishedi7ee"),
            ("originallyPublished", "d13:expireSecondsi5e19:originallyPublishedi7ee")
        ]
        for c in cases {
            let reply = FoundValueReply(key: Array(c.key.utf8), value: "v", expireSeconds: 5, originallyPublished: 7)
            #expect(String(decoding: Self.encoded(reply), as: UTF8.self) == c.expected, "key \(c.key)")
            #expect(Self.encoded(reply) == Bencode.encode(reply.dict), "key \(c.key)")
        }
    }

    /// `<repo>/../shared/spec/captures`, where the capture corpus lives.
    static let capturesURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/spec/captures")

    /// The datagrams of the capture corpus (docs/protocol.md §17): `hex` of every JSON line.
    static func capturedDatagrams() -> [[UInt8]] {
        let directory = Self.capturesURL
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var out: [[UInt8]] = []
        for name in files.sorted() where name.hasSuffix(".jsonl") {
            guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let hex = object["hex"] as? String, let data = Self.bytes(hex: hex)
                else { continue }
                out.append(data)
            }
        }
        return out
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        return stride(from: 0, to: digits.count, by: 2).compactMap { UInt8(String(decoding: digits[$0..<($0 + 2)], as: UTF8.self), radix: 16) }
    }

    /// Python's own findValue answers in the capture corpus, re-encoded through the writer.
    @Test func capturedAnswersReencodeByteForByte() throws {
        var matched = 0
        for d in Self.capturedDatagrams() {
            guard case .framed(let header, let payload) = Framing.classify(d), header.total == 1, !payload.isEmpty,
                let message = try? MessageCodec.decode(Array(payload)), case .response(.dict(let dict)) = message.body,
                dict.count == 3, case .int(let expire)? = dict["expireSeconds"],
                case .int(let published)? = dict["originallyPublished"],
                let entry = dict.first(where: { $0.key != "expireSeconds" && $0.key != "originallyPublished" }),
                case .bytes(let key) = entry.key
            else { continue }
            let reply = FoundValueReply(key: key, value: entry.value, expireSeconds: expire, originallyPublished: published)
            let ours = try reply.datagrams(rpcID: message.rpcID, sender: message.sender, layer: message.layer)
            #expect(ours == [d], "answer \(message.rpcID.hex)")
            matched += 1
        }
        #expect(matched >= 1, "no findValue answer with a value in the corpus at \(Self.capturesURL.path)")
        print("corpus: \(matched) findValue answers re-encoded byte-for-byte")
    }
}
