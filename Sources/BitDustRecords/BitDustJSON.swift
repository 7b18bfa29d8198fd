import DHTCore
import FoundationEssentials

/// A JSON value as BitDust records hold it. Objects are stored as key/value pairs sorted by key
/// (Python's `sort_keys=True` order: by Unicode code point). A value type; pure; thread-safe.
public enum BitDustJSON: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([BitDustJSON])
    case object([String: BitDustJSON])

    /// Object keys in `sort_keys=True` order (code point order, as Python sorts `str`).
    public static func sortedKeys(_ dict: [String: BitDustJSON]) -> [String] {
        dict.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
    }

    public subscript(key: String) -> BitDustJSON? {
        if case .object(let d) = self { return d[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }
    public var objectValue: [String: BitDustJSON]? {
        if case .object(let d) = self { return d }
        return nil
    }
    public var arrayValue: [BitDustJSON]? {
        if case .array(let a) = self { return a }
        return nil
    }

    /// An integer for int values, integral doubles, and (like Python's `int(x)`) numeric strings.
    public var intValue: Int64? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        case .double(let d) where d.isFinite && d.rounded(.towardZero) == d && abs(d) < 9.2e18: return Int64(d)
        case .string(let s): return Int64(s.trimmedWhitespace())
        default: return nil
        }
    }

    /// Python's `str(value)` of the decoded value (what BitDust's `equal` rule compares).
    public var pythonStr: String {
        if case .string(let s) = self { return s }
        return PythonRepr.repr(self, bytesStrings: false)
    }

    /// Python truthiness.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .double(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .array(let a): return !a.isEmpty
        case .object(let o): return !o.isEmpty
        }
    }
}

/// Literal syntax for building records in code and tests.
extension BitDustJSON: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: BitDustJSON...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, BitDustJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}
