import DHTCore
/// Serialization exactly as BitDust writes records (docs/protocol.md §13.1):
/// `json.dumps(obj, indent=0, sort_keys=True, separators=(',', ':'), ensure_ascii=…)`.
/// With `indent=0` every non-empty container opens with a newline, puts each element on its own
/// line and closes on a new line; empty containers are `[]` / `{}`. Pure; thread-safe.
extension BitDustJSON {
    /// The exact bytes BitDust would put on the wire for this value.
    /// - Parameter asciiOnly: `true` reproduces `ensure_ascii=True` (everything outside
    ///   0x20…0x7E escaped as lowercase `\uXXXX`, astral characters as surrogate pairs), which is
    ///   what dhtop sends. `false` reproduces BitDust's own `ensure_ascii=False`; for ASCII
    ///   content both are identical.
    public func serialized(asciiOnly: Bool = true) -> String {
        var out = ""
        write(into: &out, asciiOnly: asciiOnly)
        return out
    }

    private func write(into out: inout String, asciiOnly: Bool) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += BitDustJSON.pythonFloat(d, json: true)
        case .string(let s): JSONString.write(s, into: &out, asciiOnly: asciiOnly)
        case .array(let a):
            if a.isEmpty {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, e) in a.enumerated() {
                if i > 0 { out += ",\n" }
                e.write(into: &out, asciiOnly: asciiOnly)
            }
            out += "\n]"
        case .object(let d):
            if d.isEmpty {
                out += "{}"
                return
            }
            out += "{\n"
            for (i, k) in BitDustJSON.sortedKeys(d).enumerated() {
                if i > 0 { out += ",\n" }
                JSONString.write(k, into: &out, asciiOnly: asciiOnly)
                out += ":"
                d[k]!.write(into: &out, asciiOnly: asciiOnly)
            }
            out += "\n}"
        }
    }

    /// Python's `repr(float)`; with `json: true`, `float.__repr__` as `json.dumps` writes it
    /// (`NaN`, `Infinity`, `-Infinity` instead of `nan`, `inf`).
    static func pythonFloat(_ d: Double, json: Bool) -> String {
        if d.isNaN { return json ? "NaN" : "nan" }
        if d.isInfinite { return d < 0 ? (json ? "-Infinity" : "-inf") : (json ? "Infinity" : "inf") }
        // Swift's description is the shortest round-trip form; re-lay it out with Python's rule:
        // scientific when the decimal exponent is < -4 or >= 16, at least two exponent digits.
        var text = d.description
        let negative = text.hasPrefix("-")
        if negative { text.removeFirst() }
        var mantissa = Substring(text), exp10 = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exp10 = Int(text[text.index(after: e)...]) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let intPart = String(parts[0]), fracPart = parts.count > 1 ? String(parts[1]) : ""
        var digits = intPart + fracPart
        var point = intPart.count + exp10  // value = 0.digits × 10^point
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        let sign = negative ? "-" : ""
        if digits == "0" { return sign + "0.0" }
        if point > 16 || point < -3 {
            let e = point - 1
            let m = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
            let es = String(abs(e))
            return sign + m + "e" + (e < 0 ? "-" : "+") + (es.count < 2 ? "0" + es : es)
        }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
        if digits.count <= point { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
        let idx = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<idx] + "." + digits[idx...]
    }
}
