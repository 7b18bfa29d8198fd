import BitDustRecords
import DHTWire

/// Turns a stored value into lines for the record pane: JSON text is pretty-printed, other
/// text is shown as is, other bencode values as an indented tree. Pure and thread-safe; the
/// lines still need `Sanitizer` (the surface applies it when drawing).
public enum RecordRendering {
    /// Display lines for `value`.
    public static func lines(for value: BValue) -> [String] {
        if let text = value.string {
            if let json = JSONValue(parsing: text) { return json.prettyLines() }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return tree(value, indent: "")
    }

    /// The parsed JSON of a value stored as JSON text.
    public static func json(_ value: BValue) -> JSONValue? {
        value.string.flatMap { JSONValue(parsing: $0) }
    }

    /// A stored value as JSON: the value itself when it is JSON text, else the text
    /// (`RecordReadReport.text(of:)`) as a string.
    public static func jsonValue(_ value: BValue) -> JSONValue {
        json(value) ?? .string(RecordReadReport.text(of: value))
    }

    /// BitDust's own key and record type, read from the `key` and `type` fields of a JSON value.
    public static func bitdustFields(_ value: BValue) -> (key: String?, type: String?) {
        guard let j = json(value) else { return (nil, nil) }
        return (j["key"]?.stringValue, j["type"]?.stringValue)
    }

    /// The payload size in bytes as stored.
    public static func size(_ value: BValue) -> Int {
        switch value {
        case .int(let i): return String(i).utf8.count
        case .bytes(let b): return b.count
        case .list(let l): return l.reduce(2) { $0 + size($1) }
        case .dict(let d): return d.reduce(2) { $0 + size($1.value) + 4 }
        }
    }

    static func tree(_ value: BValue, indent: String) -> [String] {
        switch value {
        case .int(let i): return [indent + String(i)]
        case .bytes(let b): return [indent + "\"" + Sanitizer.clean(bytes: b) + "\""]
        case .list(let l): return [indent + "["] + l.flatMap { tree($0, indent: indent + "  ") } + [indent + "]"]
        case .dict(let d):
            var out = [indent + "{"]
            for (k, v) in d.sorted(by: { keyText($0.key) < keyText($1.key) }) {
                var sub = tree(v, indent: indent + "  ")
                sub[0] = indent + "  " + keyText(k) + ": " + sub[0].drop { $0 == " " }
                out += sub
            }
            return out + [indent + "}"]
        }
    }

    static func keyText(_ k: BKey) -> String {
        switch k {
        case .int(let i): return String(i)
        case .bytes(let b): return Sanitizer.clean(bytes: b)
        }
    }
}
