/// The lexical layer both JSON readers share (`BitDustJSON.parse`, the semantic one, and
/// NodeAPI's `JSONValue`, the one that keeps text for display): white space, literals, number
/// text and string literals over UTF-8 bytes, with the cursor `i`. A value type; pure; never
/// traps on any input.
public struct JSONLexer {
    /// How string literals treat what RFC 8259 forbids.
    public enum StringRules: Sendable {
        /// As Python's `json.loads`: raw control characters and invalid UTF-8 refuse the string.
        case strict
        /// For display: raw control characters are kept (the sanitizer shows them escaped) and
        /// invalid UTF-8 becomes U+FFFD.
        case lenient
    }

    public let bytes: [UInt8]
    /// The cursor: the index of the next byte to read.
    public var i = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var atEnd: Bool { i >= bytes.count }

    /// The next byte, not consumed; nil at the end.
    public var next: UInt8? { i < bytes.count ? bytes[i] : nil }

    public mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0a || bytes[i] == 0x0d { i += 1 }
    }

    /// Consumes `byte` when it is next.
    public mutating func take(_ byte: UInt8) -> Bool {
        guard next == byte else { return false }
        i += 1
        return true
    }

    /// Consumes `word` when it is next.
    public mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { return false }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return false }
        i += count
        return true
    }

    /// A number in JSON's grammar, `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as
    /// written; `integral` when it has neither a fraction nor an exponent. Nil when not a number.
    public mutating func number() -> (text: String, integral: Bool)? {
        let start = i
        func digits() -> Int {
            let from = i
            while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 { i += 1 }
            return i - from
        }
        _ = take(UInt8(ascii: "-"))
        let leadingZero = next == UInt8(ascii: "0")
        let whole = digits()
        guard whole > 0, !(leadingZero && whole > 1) else { return nil }
        var integral = true
        if take(UInt8(ascii: ".")) {
            integral = false
            guard digits() > 0 else { return nil }
        }
        if take(UInt8(ascii: "e")) || take(UInt8(ascii: "E")) {
            integral = false
            if !take(UInt8(ascii: "+")) { _ = take(UInt8(ascii: "-")) }
            guard digits() > 0 else { return nil }
        }
        return (String(decoding: bytes[start..<i], as: UTF8.self), integral)
    }

    /// A string literal, unescaped; nil when the next bytes are not one under `rules`. A
    /// surrogate pair in `\u` escapes is one character; a lone surrogate (Python keeps it, a
    /// Swift string cannot) becomes U+FFFD.
    public mutating func string(_ rules: StringRules) -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") {
                switch rules {
                case .strict: return String(validating: out, as: UTF8.self)
                case .lenient: return String(decoding: out, as: UTF8.self)
                }
            }
            guard b >= 0x20 || rules == .lenient else { return nil }
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
                out += Array(String(Character(Unicode.Scalar(v) ?? "\u{fffd}")).utf8)
            default: return nil
            }
        }
        return nil
    }

    /// Four hex digits (either case), consumed; nil (nothing consumed) otherwise.
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
}
