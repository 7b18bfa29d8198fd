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
        reader.skipSpace()
        // Not `atEnd ? value : nil`: that nil would be BitDustJSON's nil literal, `.null`.
        guard reader.atEnd else { return nil }
        return value
    }
}

/// The reader behind `BitDustJSON.parse`: one pass, depth-limited to `BitDustJSON.maxDepth`.
private struct JSONByteReader {
    let bytes: [UInt8]
    var i = 0
    var depth = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { i >= bytes.count }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0a || bytes[i] == 0x0d { i += 1 }
    }

    mutating func literal(_ word: StaticString, _ v: BitDustJSON) -> BitDustJSON? {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { return nil }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return nil }
        i += count
        return v
    }

    mutating func value() -> BitDustJSON? {
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "n"): return literal("null", .null)
        case UInt8(ascii: "t"): return literal("true", .bool(true))
        case UInt8(ascii: "f"): return literal("false", .bool(false))
        case UInt8(ascii: "\""): return string().map(BitDustJSON.string)
        case UInt8(ascii: "["): return array()
        case UInt8(ascii: "{"): return object()
        default: return number()
        }
    }

    /// Consumes `close` (after optional space) when it is next.
    mutating func closes(_ close: UInt8) -> Bool {
        skipSpace()
        guard i < bytes.count, bytes[i] == close else { return false }
        i += 1
        return true
    }

    /// After an element: true at the closing bracket, false after a comma, nil otherwise.
    mutating func afterElement(_ close: UInt8) -> Bool? {
        skipSpace()
        guard i < bytes.count else { return nil }
        let b = bytes[i]
        i += 1
        if b == close { return true }
        return b == UInt8(ascii: ",") ? false : nil
    }

    mutating func array() -> BitDustJSON? {
        guard depth < BitDustJSON.maxDepth else { return nil }
        depth += 1
        defer { depth -= 1 }
        i += 1
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
        i += 1
        var out: [String: BitDustJSON] = [:]
        if closes(UInt8(ascii: "}")) { return .object(out) }
        while true {
            skipSpace()
            guard let name = string() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let v = value() else { return nil }
            out[name] = v  // a repeated name: the last wins, as in Python
            guard let done = afterElement(UInt8(ascii: "}")) else { return nil }
            if done { return .object(out) }
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func number() -> BitDustJSON? {
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            return i - from
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        let leadingZero = i < bytes.count && bytes[i] == UInt8(ascii: "0")
        let whole = digits()
        guard whole > 0, !(leadingZero && whole > 1) else { return nil }
        var integral = true
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            integral = false
            guard digits() > 0 else { return nil }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            integral = false
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return nil }
        }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        if integral, let n = Int64(text) { return .int(n) }
        guard let d = Double(text), d.isFinite else { return nil }
        return .double(d)
    }

    mutating func hex4() -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let b = bytes[i + k]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x41...0x46: digit = b - 0x41 + 10
            case 0x61...0x66: digit = b - 0x61 + 10
            default: return nil
            }
            v = v << 4 | UInt32(digit)
        }
        i += 4
        return v
    }

    mutating func string() -> String? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") { return String(validating: out, as: UTF8.self) }
            guard b >= 0x20 else { return nil }
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
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "u"):
                guard var v = hex4() else { return nil }
                if (0xD800...0xDBFF).contains(v), i + 6 <= bytes.count, bytes[i] == UInt8(ascii: "\\"),
                    bytes[i + 1] == UInt8(ascii: "u")
                {
                    let save = i
                    i += 2
                    if let low = hex4(), (0xDC00...0xDFFF).contains(low) {
                        v = 0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = save
                    }
                }
                // A lone surrogate (Python keeps it; Swift strings cannot) becomes U+FFFD.
                out += Array(String(Character(Unicode.Scalar(v) ?? "\u{fffd}")).utf8)
            default: return nil
            }
        }
        return nil
    }
}
