import Testing

@testable import BitDustRecords

/// BitDustJSON.parse, the Foundation-free JSON reader: generated documents read back exactly,
/// the edges of the grammar read as Python's json.loads reads them, what is not JSON is
/// refused, and damage never traps.
@Suite struct JSONParseTests {
    typealias Rng = FuzzTests.Rng

    static func randomValue(_ rng: inout Rng, depth: Int = 0) -> BitDustJSON {
        switch rng.below(depth > 3 ? 6 : 8) {
        case 0: return .null
        case 1: return .bool(rng.below(2) == 0)
        case 2: return .int(Int64(bitPattern: rng.next()) >> Int64(rng.below(64)))
        case 3: return .double(Double(Int64(bitPattern: rng.next()) >> 20) / 1024)
        case 4, 5:
            let pieces = ["a", "\"", "\\", "/", "\n", "\t", "\u{1}", "é", "😀", "\u{7f}", " ", "\u{2028}"]
            return .string((0..<rng.below(8)).map { _ in pieces[rng.below(pieces.count)] }.joined())
        case 6: return .array((0..<rng.below(4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var d: [String: BitDustJSON] = [:]
            for _ in 0..<rng.below(4) { d["k\(rng.below(10))"] = randomValue(&rng, depth: depth + 1) }
            return .object(d)
        }
    }

    /// Every value reads back exactly from its own serialization (floats included: the reader
    /// rounds correctly, as Python's json.loads does; JSONSerialization on Linux was off in the
    /// last digit for some).
    @Test func roundTripsExactly() throws {
        var rng = Rng(s: 0x0123_4567_89AB_CDEF)
        for _ in 0..<3000 {
            let value = Self.randomValue(&rng)
            for text in [value.serialized(), value.serialized(asciiOnly: false)] {
                let parsed = try #require(BitDustJSON.parse(text), "\(text)")
                #expect(parsed == value, "\(text)")
            }
        }
    }

    @Test(arguments: [
        ("-0", BitDustJSON.int(0)), ("1e2", .double(100)), ("-1.5E-1", .double(-0.15)),
        ("9223372036854775807", .int(Int64.max)), ("9223372036854775808", .double(9.223372036854775808e18)),
        (" [ 1 , {\"a\" : [ ] } ] ", .array([.int(1), .object(["a": .array([])])])), ("\"\\ud83d\\ude00\"", .string("😀")),
        ("\"\\u00e9\\/\"", .string("é/")), ("{\"a\":1,\"a\":2}", .object(["a": .int(2)]))
    ])
    func readsEdgeCases(text: String, expected: BitDustJSON) {
        #expect(BitDustJSON.parse(text) == expected)
    }

    @Test(arguments: [
        "01", "1.", ".5", "+1", "1e", "--1", "0x10", "NaN", "Infinity", "1e999", "[1,]", "{\"a\":1,}", "{a:1}", "[1 2]",
        "\"tab\there\"", "\"\\x41\"", "\"\\u12\"", "'single'", "tru", "nulll", "[", "{\"a\"}", "\"open", "1 2", "\u{feff}1"
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(BitDustJSON.parse(text) == nil)
    }

    @Test func refusesInvalidUTF8AndDeepNesting() {
        #expect(BitDustJSON.parse(bytes: [0x22, 0xFF, 0x22]) == nil)
        let ok = String(repeating: "[", count: BitDustJSON.maxDepth) + String(repeating: "]", count: BitDustJSON.maxDepth)
        #expect(BitDustJSON.parse(ok) != nil)
        #expect(BitDustJSON.parse("[" + ok + "]") == nil)
    }
}
