import CNCursesw
import ConsoleModel
@testable import ConsoleTUI
import Testing

/// The terminal input decoder: UTF-8, Alt-keys, bracketed paste.
@Suite struct InputDecoderTests {
    func feed(_ d: inout InputDecoder, _ inputs: [InputDecoder.Input]) -> [KeyDecoder.Decoded] {
        inputs.flatMap { d.feed($0) }
    }

    func bytes(_ s: String) -> [InputDecoder.Input] { s.utf8.map { .byte($0) } }

    @Test func utf8IsAssembledIntoCharacters() {
        var d = InputDecoder()
        #expect(feed(&d, bytes("a中🙂")) == [.key(.char("a")), .key(.char("中")), .key(.char("🙂"))])
        #expect(!d.wantsMore && d.invalidBytes == 0)
    }

    /// Invalid bytes are dropped and counted; the characters around them still arrive.
    @Test func invalidUTF8NeverEndsTheLine() {
        var d = InputDecoder()
        let input: [InputDecoder.Input] =
            [.byte(0x61), .byte(0xff), .byte(0xe4), .byte(0x62), .byte(0xc0), .byte(0x80)]
            + bytes("é") + [.byte(0xed), .byte(0xa0), .byte(0x80), .byte(0x63), .byte(0xe4), .byte(0xb8), .idle]
        #expect(feed(&d, input) == [.key(.char("a")), .key(.char("b")), .key(.char("é")), .key(.char("c"))])
        #expect(d.invalidBytes == 9)
        #expect(!d.wantsMore)
    }

    @Test func escapeThenAKeyAtOnceIsAlt() {
        var d = InputDecoder()
        #expect(feed(&d, [.byte(27)]) == [])
        #expect(d.wantsMore)
        #expect(feed(&d, [.byte(UInt8(ascii: "b"))]) == [.key(.alt("b"))])
        #expect(feed(&d, [.byte(27), .byte(0x7f)]) == [.key(.alt("\u{7f}"))])
        // Esc alone (nothing follows at once) is Escape.
        #expect(feed(&d, [.byte(27), .idle]) == [.key(.escape)])
        // Esc Esc: the first is Escape, the second waits.
        #expect(feed(&d, [.byte(27), .byte(27), .idle]) == [.key(.escape), .key(.escape)])
        // Esc then a key code: Escape, then the key.
        #expect(feed(&d, [.byte(27), .code(KEY_UP)]) == [.key(.escape), .key(.up)])
    }

    @Test func bracketedPasteIsOneKeyThatIsNotKeys() {
        var d = InputDecoder()
        let paste = [.code(InputDecoder.pasteStart)] + bytes("q :x\r\nsecond\rthird \u{1b}[A 中") + [.code(InputDecoder.pasteEnd)]
        #expect(feed(&d, paste) == [.key(.paste("q :x\nsecond\nthird \u{1b}[A 中"))])
        #expect(!d.inPaste)
        #expect(feed(&d, bytes("j")) == [.key(.char("j"))])
    }

    /// Escape sequences ncurses did not know are dropped whole (not Alt-[ and stray letters),
    /// and their paste markers still delimit a paste.
    @Test func unknownSequencesAreDroppedAndRawPasteMarkersWork() {
        var d = InputDecoder()
        #expect(feed(&d, bytes("\u{1b}[1;5Ca\u{1b}OPb")) == [.key(.char("a")), .key(.char("b"))])
        #expect(feed(&d, bytes("\u{1b}[200~q x\u{1b}[201~j")) == [.key(.paste("q x")), .key(.char("j"))])
        #expect(!d.inPaste && !d.wantsMore)
        // A sequence cut short is dropped when nothing follows.
        #expect(feed(&d, bytes("\u{1b}[12") + [.idle]) == [])
        #expect(!d.wantsMore)
    }

    @Test func aPasteIsBoundedAndEndsEvenWithoutItsEnd() {
        var d = InputDecoder()
        _ = feed(&d, [.code(InputDecoder.pasteStart)] + Array(repeating: .byte(0x78), count: InputDecoder.pasteLimit + 10))
        #expect(d.pasteDropped == 10)
        let out = feed(&d, Array(repeating: .idle, count: InputDecoder.pasteIdleLimit))
        #expect(out == [.key(.paste(String(repeating: "x", count: InputDecoder.pasteLimit)))])
        #expect(!d.inPaste)
        // A resize during a paste still resizes.
        #expect(feed(&d, [.code(InputDecoder.pasteStart), .code(KEY_RESIZE), .code(InputDecoder.pasteEnd)]) == [.resize, .key(.paste(""))])
    }
}
