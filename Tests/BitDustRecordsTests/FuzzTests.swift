import Testing
@testable import BitDustRecords

/// Decoding must never trap, whatever comes back from the network.
@Suite struct FuzzTests {
    /// Deterministic xorshift generator so failures reproduce.
    struct Rng {
        var s: UInt64
        mutating func next() -> UInt64 { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let seeds: [String] = Fixtures.allCaptured + [
        BitDustJSON.object(["type": "identity", "key": "k", "timestamp": 1, "idurl": "u", "identity": .string(Fixtures.identityXML)]).serialized(),
        "{\"id\":\"4b\",\"closestNodes\":[[\"aa\",\"127.0.0.1\",1,0]],\"key\":\"nodeState\",\"type\":\"skip_validation\"}",
        "b'1.2.3.4':7771", "bob@h 1.2.3.4:5 1700000000.5\n",
        "{\"type\":\"nickname\",\"nickname\":\"nickname\",\"position\":\"a:1:7\",\"timestamp\":1e308,\"revision\":\"x\"}",
    ]

    @Test func twentyThousandRandomAndMutatedValues() {
        var rng = Rng(s: 0x9E37_79B9_7F4A_7C15)
        let alphabet = Array("{}[]\":,0123456789.-eE truefalsnul\\u<>/&;ab\n\u{1b}é😀".utf8)
        let types: [RecordType?] = [nil] + RecordType.allCases.map { $0 }
        var decoded = 0
        for i in 0..<20_000 {
            var bytes: [UInt8]
            switch i % 4 {
            case 0: bytes = (0..<rng.below(200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            case 1: bytes = (0..<rng.below(200)).map { _ in alphabet[rng.below(alphabet.count)] }
            default:
                bytes = Array(Self.seeds[rng.below(Self.seeds.count)].utf8)
                for _ in 0..<(1 + rng.below(6)) where !bytes.isEmpty {
                    let at = rng.below(bytes.count)
                    switch rng.below(4) {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.remove(at: at)
                    case 2: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                    default: bytes.replaceSubrange(at..<min(bytes.count, at + rng.below(20)), with: [])
                    }
                }
            }
            let now = Int64(bitPattern: rng.next()) >> Int64(rng.below(64))
            let view = RecordDecoder.decode(bytes, expected: types[rng.below(types.count)], now: now)
            _ = view.lines()
            if let json = view.json { _ = json.serialized(); _ = json.pretty() }
            decoded += 1
        }
        #expect(decoded == 20_000)
    }

    @Test func hostileShapes() {
        let values = [String(repeating: "[", count: 300) + String(repeating: "]", count: 300), "{\"timestamp\":-9223372036854775808}",
                      "{\"timestamp\":9223372036854775807,\"revision\":1e400}", "\"\\ud800\"", "{\"type\":\"identity\",\"identity\":\"<!DOCTYPE x [<!ENTITY a \\\"aaaa\\\">]><identity>&a;</identity>\"}",
                      "1.2.3.4:99999", " : ", "b'':1", "x 1:1 nan\n"]
        for v in values {
            for now in [Int64.min, 0, Int64.max] { _ = RecordDecoder.decode(v, now: now).lines() }
        }
        _ = ReplicaComparison(values.map { .init(responder: "r", value: $0) })
    }
}
