/// Python's `repr(str)`, as BitDust's error texts quote values: single quotes unless the text
/// has `'` and no `"`, non-printable characters escaped. Pure; thread-safe.
public enum PythonString {
    public static func repr(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let v = scalar.value
                if Character(scalar) == quote {
                    out += "\\" + String(quote)
                } else if v < 0x20 || v == 0x7F || (v >= 0x80 && v < 0xA0) {
                    out += escape("x", v, 2)
                } else if v >= 0xD800 && v <= 0xDFFF {
                    out += escape("u", v, 4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out.append(quote)
        return out
    }

    /// `\xHH` / `\uHHHH`.
    public static func escape(_ prefix: String, _ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return "\\" + prefix + String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
