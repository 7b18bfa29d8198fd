import BitDustRecords

/// dhtop's one JSON model for what need not be byte-exact BitDust JSON (that is `BitDustJSON`):
/// record values pretty-printed, the outcomes' JSON, event lines. Parsed by RFC 8259's grammar
/// (numbers, escapes, nesting at most 64 deep), except that raw control characters inside strings
/// are kept (they are shown escaped); object members keep their order. A value type; thread-safe.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.compactText == b.compactText }
    public func hash(into h: inout Hasher) { h.combine(compactText) }

    /// Parses `text`; nil unless it is one complete JSON value.
    public init?(parsing text: String) {
        var p = Parser(Array(text.utf8))
        guard let v = p.value() else { return nil }
        p.lex.skipSpace()
        guard p.lex.atEnd else { return nil }
        self = v
    }

    /// The member `name` of an object.
    public subscript(name: String) -> JSONValue? {
        if case .object(let members) = self { return members.first { $0.0 == name }?.1 }
        return nil
    }

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Indented lines, two spaces a level; strings are shown quoted but not re-escaped, so the
    /// sanitizer at draw time shows control characters as `\x1b`.
    public func prettyLines(indent: String = "") -> [String] {
        let inner = indent + "  "
        switch self {
        case .array(let items) where !items.isEmpty:
            var lines = ["["]
            for (i, item) in items.enumerated() {
                var sub = item.prettyLines(indent: inner)
                sub[0] = inner + sub[0]
                if i < items.count - 1 { sub[sub.count - 1] += "," }
                lines += sub
            }
            return lines + [indent + "]"]
        case .object(let members) where !members.isEmpty:
            var lines = ["{"]
            for (i, (name, item)) in members.enumerated() {
                var sub = item.prettyLines(indent: inner)
                sub[0] = inner + "\"" + name + "\": " + sub[0]
                if i < members.count - 1 { sub[sub.count - 1] += "," }
                lines += sub
            }
            return lines + [indent + "}"]
        default:
            return [compactText]
        }
    }

    /// One-line text.
    public var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        case .string(let s): return "\"" + s + "\""
        case .array(let items): return "[" + items.map(\.compactText).joined(separator: ", ") + "]"
        case .object(let m): return "{" + m.map { "\"\($0.0)\": " + $0.1.compactText }.joined(separator: ", ") + "}"
        }
    }
}

/// A small recursive-descent JSON reader over `JSONLexer`'s tokens (lenient strings, numbers
/// kept as written, members in order), depth-limited.
private struct Parser {
    var lex: JSONLexer
    var depth = 0
    init(_ bytes: [UInt8]) { lex = JSONLexer(bytes) }

    mutating func value() -> JSONValue? {
        lex.skipSpace()
        guard let first = lex.next, depth < 64 else { return nil }
        switch first {
        case UInt8(ascii: "n"): return lex.literal("null") ? .null : nil
        case UInt8(ascii: "t"): return lex.literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return lex.literal("false") ? .bool(false) : nil
        case UInt8(ascii: "\""): return lex.string(.lenient).map(JSONValue.string)
        case UInt8(ascii: "["):
            return container(close: UInt8(ascii: "]")) { p in p.value().map { ("", $0) } }
                .map { .array($0.map(\.1)) }
        case UInt8(ascii: "{"):
            return container(close: UInt8(ascii: "}")) { p in
                p.lex.skipSpace()
                guard let name = p.lex.string(.lenient) else { return nil }
                p.lex.skipSpace()
                guard p.lex.take(UInt8(ascii: ":")) else { return nil }
                return p.value().map { (name, $0) }
            }.map(JSONValue.object)
        default: return lex.number().map { .number($0.text) }
        }
    }

    mutating func container(close: UInt8, _ element: (inout Parser) -> (String, JSONValue)?) -> [(String, JSONValue)]? {
        lex.i += 1
        depth += 1
        defer { depth -= 1 }
        var out: [(String, JSONValue)] = []
        lex.skipSpace()
        if lex.take(close) { return out }
        while true {
            guard let e = element(&self) else { return nil }
            out.append(e)
            lex.skipSpace()
            if lex.take(close) { return out }
            guard lex.take(UInt8(ascii: ",")) else { return nil }
        }
    }
}
