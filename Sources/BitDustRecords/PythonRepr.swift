import DHTCore
/// Python 3 `repr()` of decoded JSON values, used to reproduce the exact error texts reference
/// nodes send (they quote `%r` of what `jsn.loads` returned). Pure; thread-safe.
enum PythonRepr {
    /// `repr(value)`. With `bytesStrings`, string values directly inside dicts are shown as bytes
    /// (`b'…'`), as BitDust's `jsn.loads` object hook turns them into `bytes`; list items stay `str`.
    static func repr(_ value: BitDustJSON, bytesStrings: Bool) -> String {
        switch value {
        case .null: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .double(let d): return BitDustJSON.pythonFloat(d, json: false)
        case .string(let s): return str(s)
        case .array(let a): return "[" + a.map { repr($0, bytesStrings: bytesStrings) }.joined(separator: ", ") + "]"
        case .object(let d):
            let items = BitDustJSON.sortedKeys(d).map { k -> String in
                let v = d[k]!
                let vr: String
                if bytesStrings, case .string(let s) = v { vr = bytes(Array(s.utf8)) } else { vr = repr(v, bytesStrings: bytesStrings) }
                return str(k) + ": " + vr
            }
            return "{" + items.joined(separator: ", ") + "}"
        }
    }

    /// `repr(str)` (the rules live in DHTCore, where store refusals quote values too).
    static func str(_ s: String) -> String { PythonString.repr(s) }

    /// `repr(bytes)`.
    static func bytes(_ b: [UInt8]) -> String {
        let hasSingle = b.contains(UInt8(ascii: "'")), hasDouble = b.contains(UInt8(ascii: "\""))
        let quote: UInt8 = hasSingle && !hasDouble ? UInt8(ascii: "\"") : UInt8(ascii: "'")
        var out = "b" + String(UnicodeScalar(quote))
        for c in b {
            switch c {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case UInt8(ascii: "\t"): out += "\\t"
            case quote: out += "\\" + String(UnicodeScalar(quote))
            case 0x20..<0x7F: out.unicodeScalars.append(UnicodeScalar(c))
            default: out += PythonString.escape("x", UInt32(c), 2)
            }
        }
        out += String(UnicodeScalar(quote))
        return out
    }

}
