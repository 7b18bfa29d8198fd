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
        ("日本", "日本"),  // printable CJK stays (two columns each, `TextWidth`)
        ("中文 🙂 ok", "中文 🙂 ok"),  // emoji too
        ("e\u{301}", "e\\u0301"),  // combining mark
        ("👍\u{1f3fd}", "👍\\u1f3fd"),  // a skin tone would join the emoji before it
        ("🇩🇪", "\\u1f1e9\\u1f1ea"),  // regional indicators pair into one character
        ("\u{1100}\u{1161}", "\\u1100\\u1161"),  // conjoining jamo
        ("a\u{200d}b", "a\\u200db")  // zero-width joiner
    ])
    func escapes(input: String, expected: String) {
        #expect(Sanitizer.clean(input) == expected)
    }

    /// Every character of the output is one scalar of one or two columns.
    @Test func outputCharactersAreSingleScalarsOfKnownWidth() {
        let samples = [
            "中文 🙂 👍\u{1f3fd} 🇩🇪 \u{1100}\u{1161} \u{0d4e}a e\u{301} \u{feff}x \r\n 한국어 ｆｕｌｌ",
            String(String.UnicodeScalarView((0x1000..<0x3400).compactMap(Unicode.Scalar.init)))
        ]
        for sample in samples {
            let clean = Sanitizer.clean(sample)
            for ch in clean {
                #expect(ch.unicodeScalars.count == 1, "\(ch.unicodeScalars.map { String($0.value, radix: 16) })")
                #expect((1...2).contains(TextWidth.columns(ch)))
            }
            #expect(Sanitizer.clean(clean) == clean)
        }
    }

    @Test func widthsOfCJKEmojiAndLatin() {
        #expect(TextWidth.columns("中文") == 4)
        #expect(TextWidth.columns("🙂") == 2)
        #expect(TextWidth.columns("größe ✓") == 7)
        #expect(TextWidth.columns("ｆ") == 2)  // fullwidth
        #expect(TextWidth.prefix("中文abc", columns: 3) == "中")
        #expect(TextWidth.prefix("中文abc", columns: 5) == "中文a")
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
