/// JSON string literals exactly as Python's `json.dumps` writes them: `\"`, `\\`, `\n`, `\r`,
/// `\t`, `\b`, `\f`, other controls as `\u00XX`; with `asciiOnly` (Python's `ensure_ascii`, and
/// what dhtop always sends) every character above 0x7F as `\uXXXX` or a surrogate pair.
/// Pure; thread-safe.
public enum JSONString {
    /// The quoted literal of `s`.
    public static func quote(_ s: String, asciiOnly: Bool = true) -> String {
        var out = ""
        write(s, into: &out, asciiOnly: asciiOnly)
        return out
    }

    /// Appends the quoted literal of `s` to `out`.
    public static func write(_ s: String, into out: inout String, asciiOnly: Bool = true) {
        out += "\""
        func u4(_ v: UInt32) {
            out += "\\u"
            for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                let v = scalar.value
                if v < 0x20 {
                    u4(v)
                } else if !asciiOnly || v < 0x7F {
                    out.unicodeScalars.append(scalar)
                } else if v <= 0xFFFF {
                    u4(v)
                } else {
                    let w = v - 0x10000
                    u4(0xD800 + (w >> 10))
                    u4(0xDC00 + (w & 0x3FF))
                }
            }
        }
        out += "\""
    }

    private static let hexDigits = Array("0123456789abcdef")
}
