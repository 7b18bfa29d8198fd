import Foundation

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
        case .string(let s): return Int64(s.trimmingCharacters(in: .whitespaces))
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

/// Parsing: Foundation's JSONSerialization behind a nesting-depth guard. Pure; thread-safe.
extension BitDustJSON {
    /// Deepest nesting accepted by `parse`; deeper input is refused before Foundation sees it.
    public static let maxDepth = 256

    /// Parses JSON text like Python's `json.loads` (top-level scalars allowed). Returns nil for
    /// anything that is not JSON. Never traps.
    public static func parse(_ text: String) -> BitDustJSON? {
        parse(data: Data(text.utf8))
    }

    /// Parses UTF-8 JSON bytes; nil when not JSON.
    public static func parse(data: Data) -> BitDustJSON? {
        guard !data.isEmpty, nestingDepth(data) <= maxDepth else { return nil }
        guard let any = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        return from(foundation: any)
    }

    /// Maps a Foundation JSON object graph; NSNumber booleans become `.bool`.
    public static func from(foundation any: Any) -> BitDustJSON? {
        switch any {
        case is NSNull: return .null
        case let s as String: return .string(s)
        case let n as NSNumber: return fromNumber(n)
        case let a as [Any]:
            var out: [BitDustJSON] = []
            out.reserveCapacity(a.count)
            for e in a {
                guard let v = from(foundation: e) else { return nil }
                out.append(v)
            }
            return .array(out)
        case let d as [String: Any]:
            var out: [String: BitDustJSON] = [:]
            for (k, e) in d {
                guard let v = from(foundation: e) else { return nil }
                out[k] = v
            }
            return .object(out)
        default: return nil
        }
    }

    private static func fromNumber(_ n: NSNumber) -> BitDustJSON {
        if n is NSDecimalNumber { return .double(n.doubleValue) }
        let objType = String(cString: n.objCType)
        switch objType {
        case "c", "B": return .bool(n.boolValue)  // __NSCFBoolean on Linux reports "c"
        case "f", "d": return .double(n.doubleValue)
        case "Q":
            return n.uint64Value <= UInt64(Int64.max) ? .int(Int64(n.uint64Value)) : .double(n.doubleValue)
        default: return .int(n.int64Value)
        }
    }

    /// Bracket nesting depth outside strings; a cheap guard against stack exhaustion.
    static func nestingDepth(_ data: Data) -> Int {
        var depth = 0, maxSeen = 0, inString = false, escaped = false
        for b in data {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                maxSeen = max(maxSeen, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return maxSeen
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
