import DHTWire
import Foundation

/// Decides whether a store may replace what a layer holds, like BitDust's
/// `validate_before_store` hook (spec §13.2). Stateless; thread-safe; never reads the clock.
public enum StoreValidator {
    /// A refusal, sent back as `builtins.ValueError` with this exact text.
    public struct Rejection: Error, Hashable, Sendable {
        public var message: String
    }

    /// Checks `new` against the layer's `existing` value for the same key.
    /// Returns nil when the store is accepted.
    public static func check(new: BValue, existing: BValue?) -> Rejection? {
        guard let text = new.string, let newObject = jsonObject(text) else {
            return Rejection(message: "input data is not a json value: \(pythonRepr(new))")
        }
        guard let dict = newObject as? [String: Any], isTruthy(dict["type"]) else {
            return Rejection(message: "input data do not have \"type\" field present: \(pythonRepr(new))")
        }
        guard let existing, let oldText = existing.string,
              let old = jsonObject(oldText) as? [String: Any] else { return nil }
        if let oldType = old["type"], isTruthy(oldType), let newType = dict["type"],
           String(describing: oldType) != String(describing: newType) {
            return Rejection(message: "new json data type do not match to existing record type: \(pythonRepr(new))")
        }
        let previous = revision(old["revision"]) ?? -1
        let next = revision(dict["revision"]) ?? -1
        if previous >= 0 && next < 0 {
            return Rejection(message: "new json data must have a revision")
        }
        if next < previous {
            return Rejection(message: "new json data must increment revision number, current revision is \(previous) ")
        }
        return nil
    }

    /// Parses JSON text the way Python's `json.loads` accepts it (top-level scalars too).
    static func jsonObject(_ text: String) -> Any? {
        guard let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// Python's `int(x)` of a revision field; nil when absent or not a number.
    static func revision(_ value: Any?) -> Int? {
        switch value {
        case let n as NSNumber: return n.intValue
        case let s as String: return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    /// Python truthiness of a JSON value.
    static func isTruthy(_ value: Any?) -> Bool {
        switch value {
        case nil, is NSNull: return false
        case let s as String: return !s.isEmpty
        case let n as NSNumber: return n.doubleValue != 0
        case let a as [Any]: return !a.isEmpty
        case let d as [String: Any]: return !d.isEmpty
        default: return true
        }
    }

    /// An approximation of Python's `repr` of the stored value, as error texts quote it.
    static func pythonRepr(_ value: BValue) -> String {
        guard let s = value.string else {
            if case .int(let i) = value { return String(i) }
            return "<\(Bencode.encode(value).count) bytes>"
        }
        return PythonString.repr(s)
    }
}
