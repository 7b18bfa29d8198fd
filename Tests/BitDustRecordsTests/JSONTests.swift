import Testing
@testable import BitDustRecords

@Suite struct JSONTests {
    @Test func reserializesCapturedValuesByteForByte() throws {
        for v in [
            Fixtures.suppliersRev1, Fixtures.suppliersRev1Dave, Fixtures.suppliersRev0Empty,
            Fixtures.nicknameOnSuppliersKey, Fixtures.identity
        ] {
            let json = try #require(BitDustJSON.parse(v))
            #expect(json.serialized() == v)
            #expect(json.serialized(asciiOnly: false) == v)
        }
    }

    @Test func parsesTypesAndBools() throws {
        let j = try #require(BitDustJSON.parse("{\"a\":true,\"b\":false,\"c\":1,\"d\":0,\"e\":1.5,\"f\":null,\"g\":\"s\",\"h\":1.0}"))
        #expect(j["a"] == .bool(true))
        #expect(j["b"] == .bool(false))
        #expect(j["c"] == .int(1))
        #expect(j["d"] == .int(0))
        #expect(j["e"] == .double(1.5))
        #expect(j["f"] == .null)
        #expect(j["g"] == .string("s"))
        #expect(j["h"] == .double(1.0))
        #expect(BitDustJSON.parse("7") == .int(7))
        #expect(BitDustJSON.parse("not json") == nil)
        #expect(BitDustJSON.parse("") == nil)
        #expect(BitDustJSON.parse(String(repeating: "[", count: 100_000)) == nil)
    }

    /// Expected text from the installed Python: json.dumps(…, indent=0, sort_keys=True,
    /// separators=(',', ':'), ensure_ascii=True).
    @Test func matchesPythonEnsureASCII() {
        let v = BitDustJSON.object([
            "a": .string("h\u{e9}llo \u{1F600} \u{7f} \u{01}"),
            "b": .array([.double(1.5), .double(1e16), .double(1e-5), .bool(true), .null, .array([]), .object([:])]),
            "c": .object(["z": .int(1), "y": .array([.int(2)])]),
            "\u{e9}": .int(0)
        ])
        let expected =
            "{\n\"a\":\"h\\u00e9llo \\ud83d\\ude00 \\u007f \\u0001\",\n\"b\":[\n1.5,\n1e+16,\n1e-05,\ntrue,\nnull,\n[],\n{}\n],\n\"c\":{\n\"y\":[\n2\n],\n\"z\":1\n},\n\"\\u00e9\":0\n}"
        #expect(v.serialized() == expected)
        #expect(BitDustJSON.string("é\u{7f}\t\"\\").serialized(asciiOnly: false) == "\"é\u{7f}\\t\\\"\\\\\"")
    }

    @Test func pythonFloatRepr() {
        let cases: [(Double, String)] = [
            (1e16, "1e+16"), (1e15, "1000000000000000.0"), (1e-5, "1e-05"), (0.0001, "0.0001"), (1.5, "1.5"),
            (0.1, "0.1"), (100, "100.0"), (-0.0, "-0.0"), (1.2345678901234568e17, "1.2345678901234568e+17"),
            (Double.leastNonzeroMagnitude, "5e-324"), (.infinity, "Infinity"), (0.00012345, "0.00012345"), (123.456, "123.456")
        ]
        for (d, s) in cases { #expect(BitDustJSON.pythonFloat(d, json: true) == s, "\(d)") }
    }

    @Test func roundTripsAndDisplay() throws {
        let j = try #require(BitDustJSON.parse(Fixtures.suppliersRev1))
        #expect(BitDustJSON.parse(j.serialized()) == j)
        let pretty = j.pretty(width: 60)
        #expect(pretty.contains("suppliers: ["))
        #expect(!pretty.contains("\u{1b}"))
        #expect(BitDustJSON.string("a\u{1b}[31m\n").inline() == "\"a\\x1b[31m\\n\"")
        #expect(BitDustJSON.escapedText(String(repeating: "x", count: 300), max: 10).hasSuffix("…(300 chars)"))
    }

    @Test func pythonReprOfValues() throws {
        let old = try #require(BitDustJSON.parse(Fixtures.suppliersRev1Dave))
        #expect("new json data type do not match to existing record type: " + PythonRepr.repr(old, bytesStrings: true) == Fixtures.typeRefusal)
        #expect(BitDustJSON.bool(true).pythonStr == "True")
        #expect(BitDustJSON.null.pythonStr == "None")
        #expect(PythonRepr.str("it's") == "\"it's\"")
    }
}
