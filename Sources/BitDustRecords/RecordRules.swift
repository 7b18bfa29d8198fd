/// One broken rule, named the way an operator can act on it. A value type; thread-safe.
public struct RuleViolation: Hashable, Sendable, CustomStringConvertible {
    /// Which kind of rule was broken; a value type.
    public enum Kind: Hashable, Sendable {
        /// `{'op': 'exist'}`: the field must be present (any value, even null).
        case missing
        /// `{'op': 'equal', 'arg': expected}`: `str(value)` must equal `expected`; `found` is nil when absent.
        case notEqual(expected: String, found: String?)
        /// The value is not a JSON object at all (BitDust's reader treats it as "not found").
        case notAnObject(String)
    }

    public let field: String
    public let type: String
    public let kind: Kind

    public var description: String {
        switch kind {
        case .missing: return "field \"\(field)\" is required for \(type)"
        case .notEqual(let expected, let found?):
            return "\"\(field)\" must equal \"\(expected)\" (found \"\(BitDustJSON.escapedText(found, max: 80))\")"
        case .notEqual(let expected, nil): return "\"\(field)\" must equal \"\(expected)\" (field is missing)"
        case .notAnObject(let what): return "a \(type) record must be a JSON object (found \(what))"
        }
    }
}

/// BitDust's per-type validation rules (`dht_records._Rules`, docs/protocol.md §13.3), applied by senders
/// before a write and by readers after a read. Pure; thread-safe; never reads the clock.
public enum RecordRules {
    /// BitDust's two rule operators: `exist` (field present) and `equal` (`str(value) == arg`).
    public enum Op: Hashable, Sendable {
        case exist
        case equal(String)
    }

    /// A rule on one field, in BitDust's evaluation order.
    public struct FieldRule: Hashable, Sendable {
        public let field: String
        public let op: Op
    }

    /// The rule set for a JSON record type name (`"suppliers"`, …); empty for unknown names.
    public static func rules(forJSONType name: String) -> [FieldRule] {
        func exist(_ f: String...) -> [FieldRule] { f.map { FieldRule(field: $0, op: .exist) } }
        let typeRule = [FieldRule(field: "type", op: .equal(name))]
        switch name {
        case "identity": return exist("key") + typeRule + exist("timestamp", "idurl", "identity")
        case "suppliers": return exist("key") + typeRule + exist("timestamp", "customer_idurl", "ecc_map", "suppliers", "revision")
        case "message_broker": return exist("key") + typeRule + exist("timestamp", "customer_idurl", "broker_idurl", "position")
        case "nickname": return exist("key") + typeRule + exist("timestamp", "idurl", "nickname", "position")
        case "bismuth_identity_request": return typeRule + exist("timestamp", "idurl", "public_key", "position")
        case "skip_validation": return typeRule
        default: return []
        }
    }

    /// The rule set of a record type; empty for legacy types (they have no JSON rules).
    public static func rules(for type: RecordType) -> [FieldRule] {
        guard let name = type.jsonTypeName else { return [] }
        return rules(forJSONType: name)
    }

    /// Fields `RecordBuilder` treats as lists (`a,b,c` on the command line).
    public static func listFields(for type: RecordType) -> Set<String> {
        type == .suppliers ? ["suppliers"] : []
    }

    /// Every rule `json` breaks for `type`, in BitDust's order. BitDust itself stops at the first
    /// one (`validate_rules` breaks), so `first` is the one a reference node would report.
    /// Legacy types have no rules and always pass.
    public static func validate(type: RecordType, json: BitDustJSON) -> [RuleViolation] {
        guard let typeName = type.jsonTypeName else { return [] }
        guard case .object(let dict) = json else {
            return [RuleViolation(field: "", type: typeName, kind: .notAnObject(kindName(json)))]
        }
        var out: [RuleViolation] = []
        for rule in rules(forJSONType: typeName) {
            switch rule.op {
            case .exist:
                if dict[rule.field] == nil { out.append(RuleViolation(field: rule.field, type: typeName, kind: .missing)) }
            case .equal(let expected):
                let found = dict[rule.field]?.pythonStr
                if found != expected {
                    out.append(RuleViolation(field: rule.field, type: typeName, kind: .notEqual(expected: expected, found: found)))
                }
            }
        }
        return out
    }

    static func kindName(_ json: BitDustJSON) -> String {
        switch json {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
