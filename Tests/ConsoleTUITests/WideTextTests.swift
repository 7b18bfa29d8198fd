import ConsoleModel
@testable import ConsoleTUI
import Testing

/// CJK and emoji on the surface: two cells each, never half drawn, and counted as two columns
/// wherever text is padded or clipped.
@Suite struct WideTextTests {
    @Test func wideCharactersTakeTwoCells() {
        var s = Surface(width: 8, height: 1)
        #expect(s.put("中a🙂", x: 0, y: 0) == 5)
        #expect(s[0, 0].character == "中" && s[1, 0].isContinuation && s[2, 0].character == "a")
        #expect(s[3, 0].character == "🙂" && s[4, 0].isContinuation)
        #expect(s.text == "中a🙂   \n")
    }

    @Test func aWideCharacterThatDoesNotFitIsNotDrawn() {
        var s = Surface(width: 4, height: 1)
        #expect(s.put("ab中", x: 0, y: 0, limit: 3) == 3)
        #expect(s.text == "ab  \n")
        var t = Surface(width: 3, height: 1)
        t.put("a中", x: 1, y: 0)
        #expect(t.text == " a \n")
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var s = Surface(width: 4, height: 1)
        s.put("中文", x: 0, y: 0)
        s.put("x", x: 1, y: 0)
        #expect(s.text == " x文\n")
        s.put("y", x: 2, y: 0)
        #expect(s.text == " xy \n")
    }

    @Test func padAndClipCountColumns() {
        #expect(Format.pad("中文", 6) == "中文  ")
        #expect(Format.pad("中文", 3) == "中…")
        #expect(Format.clip("ab中文", 4) == "ab…")
        #expect(Format.pad("\u{1b}", 5) == "\\x1b ")
        #expect(Glyphs.unicode.clip("中文字", 5) == "中文…")
    }

    /// The user's own CJK input shows as itself, and the cursor sits after it in columns.
    @Test func promptShowsTypedCJKWithTheCursorInColumns() {
        var st = ConsoleState()
        _ = st.apply(.resize(width: 80, height: 24))
        _ = st.apply(.key(.char(":")))
        for ch in "get 中文" { _ = st.apply(.key(.char(ch))) }
        let frame = ScreenRenderer.render(st)
        let last = frame.surface.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix(":get 中文"), "\(last)")
        #expect(!last.contains("\\u4e2d"))
        #expect(frame.cursor?.x == 9)
    }
}
