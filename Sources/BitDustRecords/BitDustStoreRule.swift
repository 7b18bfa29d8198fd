import DHTCore
import DHTWire

/// Why a validating BitDust node refuses a store (`validate_before_store`, docs/protocol.md §13.2), with the
/// exact text the reference nodes send in their `builtins.ValueError`. A value type; pure.
public enum BitDustStoreRefusal: Hashable, Sendable {
    /// The value is not JSON text: `input data is not a json value: <repr>`.
    case notJSON(BValue)
    /// The JSON has no truthy `type` field: the decoded value is quoted.
    case noType(BitDustJSON)
    /// The held record has another `type`: the *held* record is quoted, as Python decoded it.
    case typeMismatch(existing: BitDustJSON)
    /// The held record has a revision and the new one none.
    case missingRevision
    /// The new revision is below the held one.
    case staleRevision(current: Int64)

    /// The reference nodes' text.
    public var message: String {
        switch self {
        case .notJSON(let v): return "input data is not a json value: " + Self.repr(v)
        case .noType(let json): return "input data do not have \"type\" field present: " + PythonRepr.repr(json, bytesStrings: true)
        case .typeMismatch(let old): return "new json data type do not match to existing record type: " + PythonRepr.repr(old, bytesStrings: true)
        case .missingRevision: return "new json data must have a revision"
        case .staleRevision(let current): return "new json data must increment revision number, current revision is \(current) "
        }
    }

    /// What the engine sends back.
    public var storeRefusal: StoreRefusal { StoreRefusal(type: "builtins.ValueError", message: message) }

    /// Python's `repr` of a stored value as the texts quote it (text; an int; else its size).
    static func repr(_ value: BValue) -> String {
        if let s = value.string { return PythonString.repr(s) }
        if case .int(let i) = value { return String(i) }
        return "<\(Bencode.encode(value).count) bytes>"
    }
}

/// The store check of a validating BitDust node, for `DHTEngine.storeRule` (through
/// `NodeOptions.storeRule`): every dhtop node (the executable, the sandbox, benchmarks) runs it.
/// Pure; thread-safe; never reads the clock.
public enum BitDustStoreRule {
    public static let rule: StoreRule = { new, existing in check(new: new, existing: existing)?.storeRefusal }

    /// Would a reference node holding `existing` accept `new`? nil when it would.
    public static func check(new: BValue, existing: BValue?) -> BitDustStoreRefusal? {
        guard let text = new.string, let parsed = BitDustJSON.parse(text) else { return .notJSON(new) }
        guard case .object(let fields) = parsed, fields["type"]?.isTruthy == true, let newType = fields["type"] else {
            return .noType(parsed)
        }
        guard let oldText = existing?.string, let old = BitDustJSON.parse(oldText), case .object(let held) = old else { return nil }
        if let oldType = held["type"], oldType.isTruthy, oldType.pythonStr != newType.pythonStr {
            return .typeMismatch(existing: old)
        }
        let previous = revision(held["revision"]) ?? -1
        let next = revision(fields["revision"]) ?? -1
        if previous >= 0 && next < 0 { return .missingRevision }
        if next < previous { return .staleRevision(current: previous) }
        return nil
    }

    /// Python's `int(x)` of a revision field (numbers truncated, numeric strings); nil otherwise.
    static func revision(_ value: BitDustJSON?) -> Int64? {
        switch value {
        case .double(let d)? where d.isFinite && abs(d) < 9.2e18: return Int64(d.rounded(.towardZero))
        case let v?: return v.intValue
        case nil: return nil
        }
    }
}
