import FoundationEssentials

/// Parsing JSON text the way Python's `json.loads` reads what BitDust writes: a bounded
/// recursive-descent reader over UTF-8 bytes (no Foundation JSON). Pure; thread-safe; never traps.
extension BitDustJSON {
    /// Deepest nesting accepted by `parse`; deeper input is refused.
    public static let maxDepth = 256

    /// Parses JSON text like Python's `json.loads` (top-level scalars allowed). Returns nil for
    /// anything that is not JSON. Never traps.
    public static func parse(_ text: String) -> BitDustJSON? {
        parse(bytes: Array(text.utf8))
    }

    /// Parses UTF-8 JSON bytes; nil when not JSON.
    public static func parse(data: Data) -> BitDustJSON? {
        parse(bytes: [UInt8](data))
    }

    /// Parses UTF-8 JSON bytes; nil when not JSON (including invalid UTF-8 and raw control
    /// characters inside strings). Integers without a fraction or exponent that fit in Int64 are
    /// `.int`; every other number is `.double` (as Python's int/float split, bounded to 64 bits).
    public static func parse(bytes: [UInt8]) -> BitDustJSON? {
        var reader = JSONByteReader(bytes)
        guard let value = reader.value() else { return nil }
        reader.lex.skipSpace()
        // Not `atEnd ? value : nil`: that nil would be BitDustJSON's nil literal, `.null`.
        guard reader.lex.atEnd else { return nil }
        return value
    }
}

/// The reader behind `BitDustJSON.parse`: one pass over `JSONLexer`'s tokens (strict strings),
/// depth-limited to `BitDustJSON.maxDepth`.
private struct JSONByteReader {
    var lex: JSONLexer
    var depth = 0

    init(_ bytes: [UInt8]) { lex = JSONLexer(bytes) }

    mutating func value() -> BitDustJSON? {
        lex.skipSpace()
        switch lex.next {
        case nil: return nil
        case UInt8(ascii: "n"): return lex.literal("null") ? .null : nil
        case UInt8(ascii: "t"): return lex.literal("true") ? .bool(true) : nil
        case UInt8(ascii: "f"): return lex.literal("false") ? .bool(false) : nil
        case UInt8(ascii: "\""): return lex.string(.strict).map(BitDustJSON.string)
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "{"): return object()
        default: return number()
        }
    }

    /// Consumes `close` (after optional space) when it is next.
    mutating func closes(_ close: UInt8) -> Bool {
        lex.skipSpace()
        return lex.take(close)
    }

    /// After an element: true at the closing bracket, false after a comma, nil otherwise.
    mutating func afterElement(_ close: UInt8) -> Bool? {
        lex.skipSpace()
        if lex.take(close) { return true }
        return lex.take(UInt8(ascii: ",")) ? false : nil
    }

    mutating func array() -> BitDustJSON? {
        guard depth < BitDustJSON.maxDepth else { return nil }
        depth += 1
        defer { depth -= 1 }
        lex.i += 1
        var out: [BitDustJSON] = []
        if closes(UInt8(ascii: "]")) { return .array(out) }
        while true {
            guard let v = value() else { return nil }
            out.append(v)
            guard let done = afterElement(UInt8(ascii: "]")) else { return nil }
            if done { return .array(out) }
        }
    }

    mutating func object() -> BitDustJSON? {
        guard depth < BitDustJSON.maxDepth else { return nil }
        depth += 1
        defer { depth -= 1 }
        lex.i += 1
        var out: [String: BitDustJSON] = [:]
        if closes(UInt8(ascii: "}")) { return .object(out) }
        while true {
            lex.skipSpace()
            guard let name = lex.string(.strict) else { return nil }
            lex.skipSpace()
            guard lex.take(UInt8(ascii: ":")), let v = value() else { return nil }
            out[name] = v  // a repeated name: the last wins, as in Python
            guard let done = afterElement(UInt8(ascii: "}")) else { return nil }
            if done { return .object(out) }
        }
    }

    /// Integers without a fraction or exponent that fit in Int64 are `.int`, other numbers `.double`.
    mutating func number() -> BitDustJSON? {
        guard let (text, integral) = lex.number() else { return nil }
        if integral, let n = Int64(text) { return .int(n) }
        guard let d = Double(text), d.isFinite else { return nil }
        return .double(d)
    }
}
