/// Makes text from the network safe to draw: every control character, escape sequence
/// introducer, bidi override, zero-width scalar and scalar that would join the one before it
/// (combining marks, emoji modifiers, conjoining jamo, regional indicators) is replaced by a
/// printable escape (`\x1b`, `\u202e`). Printable CJK and emoji stay as they are.
///
/// Contract: pure and thread-safe. The output is idempotent (sanitizing it again changes
/// nothing); every `Character` in it is one scalar occupying the terminal columns `TextWidth`
/// gives (1, or 2 for wide characters). This is the one escaper: the console, the CLI and the
/// attached console all go through it.
public enum Sanitizer {
    /// Returns `text` with every unsafe scalar escaped.
    public static func clean(_ text: String) -> String {
        // Fast path: printable ASCII (ids, keys, addresses) needs no change.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let escaped = escape(scalar) { out += escaped } else { out.unicodeScalars.append(scalar) }
        }
        return singleScalars(out)
    }

    /// `text` with every character that grapheme rules still make of several scalars after
    /// `escape` (a Prepend letter before the next one, say) escaped whole, until every character
    /// is one scalar. Each pass turns scalars into ASCII, so it ends.
    static func singleScalars(_ text: String) -> String {
        var text = text
        while text.contains(where: { $0.unicodeScalars.count > 1 }) {
            var out = ""
            for ch in text {
                let scalars = ch.unicodeScalars
                if scalars.count == 1 {
                    out.append(ch)
                } else {
                    for scalar in scalars { out += escape(scalar) ?? unicodeEscape(scalar.value) }
                }
            }
            text = out
        }
        return text
    }

    /// Returns bytes as sanitized text: valid UTF-8 is cleaned like `clean(_:)`; otherwise
    /// printable ASCII bytes stay and every other byte is shown as `\xHH`.
    public static func clean(bytes: [UInt8]) -> String {
        if bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return String(decoding: bytes, as: UTF8.self) }
        if let text = String(validating: bytes, as: UTF8.self) { return clean(text) }
        var out = ""
        for b in bytes {
            if b >= 0x20 && b < 0x7f { out.unicodeScalars.append(Unicode.Scalar(b)) } else { out += hexByte(b) }
        }
        return out
    }

    /// Whether `scalar` would be escaped.
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool { escape(scalar) != nil }

    /// The printable replacement for an unsafe scalar, or nil when it is safe as is.
    static func escape(_ scalar: Unicode.Scalar) -> String? {
        let v = scalar.value
        switch v {
        case 0x09: return "\\t"
        case 0x0a: return "\\n"
        case 0x0d: return "\\r"
        case 0x00..<0x20, 0x7f: return hexByte(UInt8(v))
        case 0x80..<0xa0: return unicodeEscape(v)  // C1 controls (CSI = 0x9b, OSC = 0x9d)
        case 0xad: return unicodeEscape(v)  // soft hyphen
        case 0x061c, 0x200b...0x200f, 0x2028...0x202e, 0x2060...0x206f, 0xfeff, 0xfff9...0xfffb:
            return unicodeEscape(v)  // bidi, zero-width, separators
        case 0xe000...0xf8ff, 0xf0000...0x10ffff: return unicodeEscape(v)  // private use
        case 0x1100...0x11ff, 0xa960...0xa97f, 0xd7b0...0xd7ff: return unicodeEscape(v)  // conjoining jamo
        case 0x1f1e6...0x1f1ff, 0x1f3fb...0x1f3ff: return unicodeEscape(v)  // regional indicators, skin tones
        case 0xff9e...0xff9f: return unicodeEscape(v)  // halfwidth sound marks (join the character before)
        default: break
        }
        let category = scalar.properties.generalCategory
        switch category {
        case .nonspacingMark, .enclosingMark, .spacingMark, .format, .control, .surrogate,
            .unassigned, .lineSeparator, .paragraphSeparator:
            return unicodeEscape(v)
        default:
            return nil
        }
    }

    static func hexByte(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(b >> 4)]) + String(digits[Int(b & 0xf)])
    }

    static func unicodeEscape(_ v: UInt32) -> String {
        var hex = String(v, radix: 16)
        while hex.count < 4 { hex = "0" + hex }
        return "\\u" + hex
    }
}
