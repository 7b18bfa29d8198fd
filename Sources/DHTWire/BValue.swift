/// A bencoded value in BitDust's dialect (docs/protocol.md §4): integers, byte strings, lists and dicts
/// whose keys are integers or byte strings. A value type; thread-safe.
public enum BValue: Hashable, Sendable {
    case int(Int64)
    case bytes([UInt8])
    case list([BValue])
    case dict([BKey: BValue])

    /// Python's `None`, which travels as `i0e`.
    public static let none = BValue.int(0)

    /// A text string, sent as its UTF-8 bytes with a byte length.
    public static func string(_ s: String) -> BValue { .bytes(Array(s.utf8)) }

    /// The bytes as text if they are valid UTF-8, as Python's decoder requires.
    public var string: String? {
        // `UTF8Check` accepts exactly what `String(validating:)` does, without the generic
        // machinery that made it a tenth of the cost of serving a ping (every method name).
        guard case .bytes(let b) = self, UTF8Check.isValid(b) else { return nil }
        return String(decoding: b, as: UTF8.self)
    }

    public var int: Int64? {
        if case .int(let i) = self { return i }
        return nil
    }

    public var list: [BValue]? {
        if case .list(let l) = self { return l }
        return nil
    }

    public var dict: [BKey: BValue]? {
        if case .dict(let d) = self { return d }
        return nil
    }

    public var byteString: [UInt8]? {
        if case .bytes(let b) = self { return b }
        return nil
    }
}

/// A bencode dict key: Python's dicts here mix `int` and `str` keys (docs/protocol.md §5, V14).
public enum BKey: Hashable, Sendable {
    case int(Int64)
    case bytes([UInt8])

    public static func string(_ s: String) -> BKey { .bytes(Array(s.utf8)) }
}

extension BValue: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: BValue...) { self = .list(elements) }
}

extension BKey: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
}
