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
        p.skipSpace()
        guard p.atEnd else { return nil }
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

/// A small recursive-descent JSON reader over UTF-8 bytes (depth-limited).
private struct Parser {
    let bytes: [UInt8]
    var i = 0
    var depth = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var atEnd: Bool { i >= bytes.count }

    mutating func skipSpace() {
        while i < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[i]) { i += 1 }
    }

    mutating func literal(_ word: String, _ v: JSONValue) -> JSONValue? {
        let w = Array(word.utf8)
        guard i + w.count <= bytes.count, Array(bytes[i..<i + w.count]) == w else { return nil }
        i += w.count
        return v
    }

    mutating func value() -> JSONValue? {
        skipSpace()
        guard i < bytes.count, depth < 64 else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "n"): return literal("null", .null)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "\""): return string().map(JSONValue.string)
        case UInt8(ascii: "["):
            return container(close: UInt8(ascii: "]")) { p in p.value().map { ("", $0) } }
                .map { .array($0.map(\.1)) }
        case UInt8(ascii: "{"):
            return container(close: UInt8(ascii: "}")) { p in
                p.skipSpace()
                guard let name = p.string() else { return nil }
                p.skipSpace()
                guard p.i < p.bytes.count, p.bytes[p.i] == UInt8(ascii: ":") else { return nil }
                p.i += 1
                return p.value().map { (name, $0) }
            }.map(JSONValue.object)
        default: return number()
        }
    }

    mutating func container(close: UInt8, _ element: (inout Parser) -> (String, JSONValue)?) -> [(String, JSONValue)]? {
        i += 1
        depth += 1
        defer { depth -= 1 }
        var out: [(String, JSONValue)] = []
        skipSpace()
        if i < bytes.count, bytes[i] == close {
            i += 1
            return out
        }
        while true {
            guard let e = element(&self) else { return nil }
            out.append(e)
            skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == close {
                i += 1
                return out
            }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i += 1
        }
    }

    /// A number in JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func number() -> JSONValue? {
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count, (0x30...0x39).contains(bytes[i]) { i += 1 }
            return i - from
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let leadingZero = i < bytes.count && bytes[i] == UInt8(ascii: "0")
        let whole = digits()
        guard whole > 0, !(leadingZero && whole > 1) else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return nil }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        return .number(String(decoding: bytes[start..<i], as: UTF8.self))
    }

    mutating func string() -> String? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                continue
            }
            guard i < bytes.count else { return nil }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "n"): out.append(0x0a)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0d)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0c)
            case UInt8(ascii: "u"):
                guard i + 4 <= bytes.count,
                    let v = UInt32(String(decoding: bytes[i..<i + 4], as: UTF8.self), radix: 16)
                else { return nil }
                i += 4
                let scalar = Unicode.Scalar(v) ?? "\u{fffd}"
                out += Array(String(Character(scalar)).utf8)
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            default: return nil
            }
        }
        return nil
    }
}
