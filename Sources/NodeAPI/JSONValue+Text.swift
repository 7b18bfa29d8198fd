import BitDustRecords
import DHTCore

/// Writing a `JSONValue` as JSON text, and building values from Swift ones. Pure; thread-safe.
extension JSONValue {
    /// Valid single-line JSON, no spaces, strings ASCII-only (`JSONString.quote`), members in
    /// their order: what `--json`, `--events` and the outcomes' JSON print.
    public var jsonText: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .null, .bool, .number: out += compactText
        case .string(let s): JSONString.write(s, into: &out)
        case .array(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (n, (name, item)) in members.enumerated() {
                if n > 0 { out += "," }
                JSONString.write(name, into: &out)
                out += ":"
                item.write(into: &out)
            }
            out += "}"
        }
    }

    /// An integer.
    public static func int<I: BinaryInteger>(_ v: I) -> JSONValue { .number(String(v)) }

    /// A double rounded to three decimals (milliseconds to the microsecond); null when not finite.
    public static func double(_ v: Double) -> JSONValue {
        v.isFinite ? .number(String((v * 1000).rounded() / 1000)) : .null
    }

    /// A string, or null.
    public static func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    /// An array of strings.
    public static func strings(_ list: [String]) -> JSONValue { .array(list.map(JSONValue.string)) }

    /// The member list of an object (empty for anything else).
    public var members: [(String, JSONValue)] {
        if case .object(let m) = self { return m }
        return []
    }
}

/// The fields of one JSON object, in the order they are added; a later field with the same name
/// replaces the earlier one in place. A value type; thread-safe.
public struct JSONFields: Sendable, Hashable {
    public private(set) var object: JSONValue = .object([])

    public init() {}

    public init(_ members: [(String, JSONValue)]) {
        for (name, value) in members { self[name] = value }
    }

    public var isEmpty: Bool { object.members.isEmpty }

    /// Reads or sets one field; setting nil removes it.
    public subscript(name: String) -> JSONValue? {
        get { object[name] }
        set {
            var members = object.members
            if let i = members.firstIndex(where: { $0.0 == name }) {
                if let newValue { members[i].1 = newValue } else { members.remove(at: i) }
            } else if let newValue {
                members.append((name, newValue))
            }
            object = .object(members)
        }
    }

    /// Adds every field of `other` (replacing those already here).
    public mutating func merge(_ other: JSONFields) {
        for (name, value) in other.object.members { self[name] = value }
    }
}
