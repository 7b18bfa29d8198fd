/// A compact, human-oriented rendering of JSON for the console and CLI: containers that fit on
/// one line within `width` stay inline, others break one element per line with two-space indents.
/// Strings are shown escaped (control characters never reach the terminal). Pure; thread-safe.
extension BitDustJSON {
    /// Multi-line display text. `maxString` truncates long strings (with `…(N chars)`).
    public func pretty(width: Int = 100, maxString: Int = 200) -> String {
        var lines: [String] = []
        render(indent: 0, prefix: "", width: width, maxString: maxString, into: &lines)
        return lines.joined(separator: "\n")
    }

    /// One-line display text.
    public func inline(maxString: Int = 200) -> String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return BitDustJSON.pythonFloat(d, json: true)
        case .string(let s): return BitDustJSON.displayString(s, max: maxString)
        case .array(let a): return "[" + a.map { $0.inline(maxString: maxString) }.joined(separator: ", ") + "]"
        case .object(let d):
            return "{" + BitDustJSON.sortedKeys(d).map { "\($0): " + d[$0]!.inline(maxString: maxString) }.joined(separator: ", ") + "}"
        }
    }

    private func render(indent: Int, prefix: String, width: Int, maxString: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        let one = inline(maxString: maxString)
        if pad.count + prefix.count + one.count <= width || !isContainer {
            lines.append(pad + prefix + one)
            return
        }
        switch self {
        case .array(let a):
            lines.append(pad + prefix + "[")
            for e in a { e.render(indent: indent + 2, prefix: "", width: width, maxString: maxString, into: &lines) }
            lines.append(pad + "]")
        case .object(let d):
            lines.append(pad + prefix + "{")
            for k in BitDustJSON.sortedKeys(d) {
                d[k]!.render(indent: indent + 2, prefix: "\(k): ", width: width, maxString: maxString, into: &lines)
            }
            lines.append(pad + "}")
        default: lines.append(pad + prefix + one)
        }
    }

    private var isContainer: Bool {
        switch self {
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        default: return false
        }
    }

    /// A quoted, escaped, possibly truncated string for display.
    public static func displayString(_ s: String, max: Int = 200) -> String {
        "\"" + escapedText(s, max: max) + "\""
    }

    /// Text quoted for display: `\` and `"` escaped, every scalar `Sanitizer` finds unsafe
    /// escaped by its rules (`\n`, `\x1b`, `\u202e`), truncated to `max` characters with a
    /// `…(N chars)` marker. Safe to print on a terminal.
    public static func escapedText(_ s: String, max: Int = 200) -> String {
        var out = ""
        var count = 0
        for scalar in s.unicodeScalars {
            if count >= max {
                out += "…(\(s.unicodeScalars.count) chars)"
                break
            }
            count += 1
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            default:
                if let escaped = Sanitizer.escape(scalar) { out += escaped } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
