/// Makes text from the network safe to draw: every control character, escape sequence
/// introducer, bidi override and zero-width or double-width scalar is replaced by a printable
/// escape (`\x1b`, `\u202e`), so nothing but plain one-column characters reaches the terminal.
///
/// Contract: pure and thread-safe. The output is idempotent (sanitizing it again changes
/// nothing) and every `Character` in it occupies exactly one terminal column.
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
        return out
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
        default: break
        }
        if isWide(v) { return unicodeEscape(v) }
        let category = scalar.properties.generalCategory
        switch category {
        case .nonspacingMark, .enclosingMark, .spacingMark, .format, .control, .surrogate,
            .unassigned, .lineSeparator, .paragraphSeparator:
            return unicodeEscape(v)
        default:
            return nil
        }
    }

    /// East Asian wide and emoji ranges, which take two columns.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115f, 0x2e80...0x303e, 0x3041...0x33ff, 0x3400...0x4dbf, 0x4e00...0x9fff,
            0xa000...0xa4cf, 0xac00...0xd7a3, 0xf900...0xfaff, 0xfe30...0xfe4f, 0xff00...0xff60,
            0xffe0...0xffe6, 0x1f300...0x1f64f, 0x1f900...0x1f9ff, 0x20000...0x3fffd:
            return true
        default:
            return false
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
