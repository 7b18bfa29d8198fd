import Testing
@testable import BitDustRecords

/// Decoding must never trap, whatever comes back from the network, and what it shows is
/// always escaped: no control character, C1 code, zero-width or bidi override reaches a line.
@Suite struct FuzzTests {
    /// Whether a scalar may be shown as is (the rule of `BitDustJSON.escapedText`).
    static func plain(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v >= 0x20 && v != 0x7F && !(0x80..<0xA0).contains(v) && !(0x200B...0x200F).contains(v)
            && !(0x202A...0x202E).contains(v) && !(0x2066...0x2069).contains(v) && v != 0xFEFF
    }

    /// The first line or field of `view` that is not terminal-safe, if any.
    static func unescaped(_ view: RecordView) -> String? {
        let texts = view.lines() + view.fields.flatMap { [$0.label, $0.value] } + [view.kind] + (view.owner.map { [$0] } ?? [])
        return texts.first { !$0.unicodeScalars.allSatisfy(plain) }
    }

    /// Deterministic xorshift generator so failures reproduce.
    struct Rng {
        var s: UInt64
        mutating func next() -> UInt64 {
            s ^= s << 13
            s ^= s >> 7
            s ^= s << 17
            return s
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    static let seeds: [String] =
        Fixtures.allCaptured + [
            BitDustJSON.object(["type": "identity", "key": "k", "timestamp": 1, "idurl": "u", "identity": .string(Fixtures.identityXML)]).serialized(),
            "{\"id\":\"4b\",\"closestNodes\":[[\"aa\",\"127.0.0.1\",1,0]],\"key\":\"nodeState\",\"type\":\"skip_validation\"}",
            "b'1.2.3.4':7771", "bob@h 1.2.3.4:5 1700000000.5\n",
            "{\"type\":\"nickname\",\"nickname\":\"nickname\",\"position\":\"a:1:7\",\"timestamp\":1e308,\"revision\":\"x\"}"
        ]

    @Test func twentyThousandRandomAndMutatedValues() {
        var rng = Rng(s: 0x9E37_79B9_7F4A_7C15)
        let alphabet = Array("{}[]\":,0123456789.-eE truefalsnul\\u<>/&;ab\n\u{1b}é😀".utf8)
        let types: [RecordType?] = [nil] + RecordType.allCases.map { $0 }
        var decoded = 0
        var unsafe = 0
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
            #expect(!view.lines().isEmpty && !view.kind.isEmpty)
            if let bad = Self.unescaped(view) {
                Issue.record("value \(i) shown unescaped: \(bad.unicodeScalars.map { String($0.value, radix: 16) })")
                unsafe += 1
            }
            if let json = view.json {
                // What was parsed serializes to JSON that parses back to the same value.
                let again = RecordDecoder.decode(json.serialized(), now: now)
                #expect(again.json == json, "value \(i) does not survive serialize/parse")
                _ = json.pretty()
            }
            decoded += 1
        }
        #expect(decoded == 20_000 && unsafe == 0)
    }

    @Test func hostileShapes() {
        let values = [
            String(repeating: "[", count: 300) + String(repeating: "]", count: 300), "{\"timestamp\":-9223372036854775808}",
            "{\"timestamp\":9223372036854775807,\"revision\":1e400}", "\"\\ud800\"",
            "{\"type\":\"identity\",\"identity\":\"<!DOCTYPE x [<!ENTITY a \\\"aaaa\\\">]><identity>&a;</identity>\"}",
            "1.2.3.4:99999", " : ", "b'':1", "x 1:1 nan\n"
        ]
        for v in values {
            for now in [Int64.min, 0, Int64.max] {
                let view = RecordDecoder.decode(v, now: now)
                #expect(!view.lines().isEmpty)
                #expect(Self.unescaped(view) == nil, "\(v) at \(now)")
            }
        }
        // Control characters and bidi overrides inside a record's strings are shown escaped.
        let sneaky = "{\"type\":\"nickname\",\"nickname\":\"a\\u001b[2Jb\\u202ec\\u0085d\",\"position\":\"x\\u0007\",\"timestamp\":1}"
        let view = RecordDecoder.decode(sneaky, now: 2)
        #expect(Self.unescaped(view) == nil)
        let shown = view.lines().joined()
        #expect(["\\u{1b}[2J", "\\u001b[2J", "\\x1b[2J"].contains { shown.contains($0) }, "\(view.lines())")
        #expect(shown.contains("\\u202e") && shown.contains("\\u0085") && shown.contains("x\\x07"), "\(view.lines())")
        // Different values from different responders are a disagreement, never a silent pick.
        let comparison = ReplicaComparison(values.enumerated().map { .init(responder: "r\($0.offset)", value: $0.element) })
        #expect(!comparison.agree)
        #expect(comparison.copies.count == values.count)
    }
}
