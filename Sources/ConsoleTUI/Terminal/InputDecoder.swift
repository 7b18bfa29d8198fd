import CNCursesw
import ConsoleModel

/// Turns what `wgetch` returns — bytes, key codes, "nothing yet" — into keys: UTF-8 assembled
/// (invalid bytes dropped and counted, never ending the line), Esc followed at once by a key read
/// as Alt-key (Alt-b is `ESC b`), and a bracketed paste (`ESC [200~ … ESC [201~`, which ncurses
/// reports as `pasteStart`/`pasteEnd` once `BracketedPaste.enable` ran) collected into one
/// `.paste` that never acts as keys. An escape sequence ncurses did not know (`ESC [ … final`,
/// `ESC O x`) is dropped whole instead of arriving as Alt-[ and stray characters; its paste
/// markers `ESC [200~` / `ESC [201~` still start and end a paste.
///
/// Contract: a value type owned by the console's main thread; pure (it never reads the clock or
/// the terminal: the caller feeds `.idle` when a read found nothing). A paste holds at most
/// `pasteLimit` bytes (the rest is dropped and reported by `pasteDropped`); a paste whose end
/// never comes is closed after `pasteIdleLimit` empty reads in a row.
struct InputDecoder {
    /// One thing read from the terminal.
    enum Input: Equatable {
        /// A byte of typed text (wgetch 0…255).
        case byte(UInt8)
        /// A key code (wgetch ≥ 256: `KEY_UP`, `KEY_RESIZE`, `pasteStart`, …).
        case code(Int32)
        /// The read found nothing waiting.
        case idle
    }

    /// The key code given to the start of a bracketed paste (`ESC [200~`).
    static let pasteStart: Int32 = 0x401
    /// The key code given to its end (`ESC [201~`).
    static let pasteEnd: Int32 = 0x402
    static let pasteLimit = 64 * 1024
    static let endMarker = Array("\u{1b}[201~".utf8)
    static let pasteIdleLimit = 40

    private var pendingEscape = false
    /// Inside `ESC [` (the bytes after it) or after `ESC O`.
    private var csi: [UInt8]?
    private var ss3 = false
    private var utf8: [UInt8] = []
    private var utf8Needed = 0
    private var paste: [UInt8]?
    private var pasteIdle = 0
    /// Invalid UTF-8 bytes dropped so far.
    private(set) var invalidBytes = 0
    /// Bytes of the last paste dropped beyond `pasteLimit`.
    private(set) var pasteDropped = 0

    /// Whether a key is half read (an Esc or part of a UTF-8 character): read again at once, and
    /// feed `.idle` if nothing is there.
    var wantsMore: Bool { pendingEscape || !utf8.isEmpty || csi != nil || ss3 }

    /// Whether a paste is being collected.
    var inPaste: Bool { paste != nil }

    /// Feeds one input; returns the keys (and resizes) it completes, in order.
    mutating func feed(_ input: Input) -> [KeyDecoder.Decoded] {
        if paste != nil { return feedPaste(input) }
        if csi != nil || ss3 { return feedSequence(input) }
        var out: [KeyDecoder.Decoded] = []
        if pendingEscape {
            pendingEscape = false
            switch input {
            case .byte(0x5b):  // ESC [
                csi = []
                return []
            case .byte(0x4f):  // ESC O
                ss3 = true
                return []
            case .byte(let b) where b >= 0x20 && b < 0x7f: return [.key(.alt(Character(Unicode.Scalar(b))))]
            case .byte(0x7f), .byte(0x08): return [.key(.alt("\u{7f}"))]
            case .idle: return [.key(.escape)]
            default: out.append(.key(.escape))
            }
        }
        switch input {
        case .idle:
            if !utf8.isEmpty { dropUTF8() }
        case .code(let code):
            if !utf8.isEmpty { dropUTF8() }
            if code == Self.pasteStart {
                paste = []
                pasteIdle = 0
                pasteDropped = 0
            } else if code != Self.pasteEnd {
                out.append(KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(code)))
            }
        case .byte(let b):
            out += byte(b)
        }
        return out
    }

    private mutating func byte(_ b: UInt8) -> [KeyDecoder.Decoded] {
        if !utf8.isEmpty {
            if b & 0xC0 == 0x80, continuationFits(b) {
                utf8.append(b)
                guard utf8.count == utf8Needed else { return [] }
                let scalar = String(decoding: utf8, as: UTF8.self)
                utf8 = []
                return scalar.first.map { [.key(.char($0))] } ?? []
            }
            dropUTF8()
        }
        switch b {
        case 27:
            pendingEscape = true
            return []
        case 0..<0x80:
            return [KeyDecoder.decode(status: OK, value: UInt32(b))]
        case 0xC2...0xDF: utf8Needed = 2
        case 0xE0...0xEF: utf8Needed = 3
        case 0xF0...0xF4: utf8Needed = 4
        default:
            invalidBytes += 1
            return []
        }
        utf8 = [b]
        return []
    }

    /// Whether `b` may follow the bytes held (no overlong forms, surrogates or values past U+10FFFF).
    private func continuationFits(_ b: UInt8) -> Bool {
        guard utf8.count == 1 else { return true }
        switch utf8[0] {
        case 0xE0: return b >= 0xA0
        case 0xED: return b < 0xA0
        case 0xF0: return b >= 0x90
        case 0xF4: return b < 0x90
        default: return true
        }
    }

    private mutating func dropUTF8() {
        invalidBytes += utf8.count
        utf8 = []
    }

    /// The rest of an unknown escape sequence: dropped when it ends (a final byte 0x40-0x7E), or
    /// when nothing more comes; `200~` and `201~` are the paste markers.
    private mutating func feedSequence(_ input: Input) -> [KeyDecoder.Decoded] {
        guard case .byte(let b) = input else {
            csi = nil
            ss3 = false
            return input == .idle ? [] : feed(input)
        }
        if ss3 {
            ss3 = false
            return []
        }
        guard (0x40...0x7e).contains(b) else {
            if csi!.count < 32 { csi!.append(b) }
            return []
        }
        let body = csi! + [b]
        csi = nil
        if body == Array("200~".utf8) { return feed(.code(Self.pasteStart)) }
        return []
    }

    private mutating func feedPaste(_ input: Input) -> [KeyDecoder.Decoded] {
        switch input {
        case .byte(let b):
            pasteIdle = 0
            if paste!.count < Self.pasteLimit { paste!.append(b) } else { pasteDropped += 1 }
            // The end marker as bytes (when ncurses was not taught it).
            if b == 0x7e, paste!.count >= Self.endMarker.count, Array(paste!.suffix(Self.endMarker.count)) == Self.endMarker {
                paste!.removeLast(Self.endMarker.count)
                return finishPaste()
            }
            return []
        case .code(let code):
            pasteIdle = 0
            if code == KEY_RESIZE { return [.resize] }
            return code == Self.pasteEnd ? finishPaste() : []
        case .idle:
            pasteIdle += 1
            return pasteIdle >= Self.pasteIdleLimit ? finishPaste() : []
        }
    }

    /// The paste as text: invalid UTF-8 dropped, CR LF and CR made LF.
    private mutating func finishPaste() -> [KeyDecoder.Decoded] {
        let bytes = paste ?? []
        paste = nil
        var text = ""
        var previousCR = false
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            if scalar == "\u{FFFD}" {
                invalidBytes += 1
                continue
            }
            if scalar == "\n" && previousCR {
                previousCR = false
                continue
            }
            previousCR = scalar == "\r"
            text.unicodeScalars.append(scalar == "\r" ? "\n" : scalar)
        }
        return [.key(.paste(text))]
    }
}
