import Testing

@testable import BitDustRecords

/// JSONLexer, the tokens both JSON readers share: the two string rules differ exactly where they
/// should (raw controls, invalid UTF-8) and agree on escapes, surrogate pairs and numbers.
@Suite struct JSONLexerTests {
    static func string(_ bytes: [UInt8], _ rules: JSONLexer.StringRules) -> (String?, Int) {
        var lex = JSONLexer(bytes)
        let s = lex.string(rules)
        return (s, lex.i)
    }

    @Test func escapesAndSurrogatePairsReadTheSameUnderBothRules() {
        let text = Array(#""a\n\t\"\\\/\u00e9\ud83d\ude00\ud800x""#.utf8)
        for rules in [JSONLexer.StringRules.strict, .lenient] {
            let (s, end) = Self.string(text, rules)
            #expect(s == "a\n\t\"\\/é😀\u{fffd}x")
            #expect(end == text.count)
        }
    }

    @Test func rawControlsAndInvalidUTF8AreRefusedStrictlyAndKeptLeniently() {
        let control: [UInt8] = [0x22, 0x61, 0x1b, 0x62, 0x22]
        #expect(Self.string(control, .strict).0 == nil)
        #expect(Self.string(control, .lenient).0 == "a\u{1b}b")
        let invalid: [UInt8] = [0x22, 0x61, 0xff, 0x22]
        #expect(Self.string(invalid, .strict).0 == nil)
        #expect(Self.string(invalid, .lenient).0 == "a\u{fffd}")
    }

    @Test(arguments: [#""abc"#, #""\u12"#, #""\u12g4""#, #""\q""#, "abc", #""\"#])
    func brokenStringsAreRefused(text: String) {
        #expect(Self.string(Array(text.utf8), .lenient).0 == nil)
        #expect(Self.string(Array(text.utf8), .strict).0 == nil)
    }

    @Test func numbersAreReadAsWrittenWithTheirKind() {
        func number(_ s: String) -> (String, Bool)? {
            var lex = JSONLexer(Array(s.utf8))
            return lex.number().map { ($0.text, $0.integral) }
        }
        #expect(number("-0")! == ("-0", true))
        #expect(number("12,")! == ("12", true))
        #expect(number("1.5e-3]")! == ("1.5e-3", false))
        #expect(number("2E+9")! == ("2E+9", false))
        for bad in ["01", "-", "1.", ".5", "1e", "+1"] { #expect(number(bad) == nil, "\(bad)") }
    }
}
