import BitDustRecords
import Testing

@Suite struct SanitizerTests {
    @Test(arguments: [
        ("plain text", "plain text"),
        ("a\u{1b}[2Jb", "a\\x1b[2Jb"),  // CSI clear screen
        ("\u{1b}]0;title\u{07}", "\\x1b]0;title\\x07"),  // OSC set title, BEL
        ("\u{1b}]8;;http://x\u{1b}\\", "\\x1b]8;;http://x\\x1b\\"),  // OSC 8 hyperlink, ST
        ("\u{9b}31m", "\\u009b31m"),  // C1 CSI
        ("\u{9d}0;x", "\\u009d0;x"),  // C1 OSC
        ("abc\u{202e}gpj.exe", "abc\\u202egpj.exe"),  // bidi override
        ("\u{2066}x\u{2069}", "\\u2066x\\u2069"),  // bidi isolates
        ("zero\u{200b}width", "zero\\u200bwidth"),
        ("tab\there\nline\r", "tab\\there\\nline\\r"),
        ("del\u{7f}", "del\\x7f"),
        ("nul\u{0}", "nul\\x00"),
        ("größe ✓", "größe ✓"),
        ("日本", "\\u65e5\\u672c"),  // double width
        ("e\u{301}", "e\\u0301")  // combining mark
    ])
    func escapes(input: String, expected: String) {
        #expect(Sanitizer.clean(input) == expected)
    }

    @Test func isIdempotent() {
        let nasty = "x\u{1b}[1m\u{9b}\u{202e}日\u{7}"
        #expect(Sanitizer.clean(Sanitizer.clean(nasty)) == Sanitizer.clean(nasty))
    }

    @Test func invalidUTF8BytesAreShownAsHex() {
        #expect(Sanitizer.clean(bytes: [0x41, 0xff, 0x1b, 0x42]) == "A\\xff\\x1bB")
    }

    @Test func outputHasNoControlScalars() {
        let all = String(String.UnicodeScalarView((0..<0x200).compactMap(Unicode.Scalar.init)))
        let clean = Sanitizer.clean(all)
        #expect(clean.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7f && !(0x80..<0xa0).contains($0.value) })
    }
}
