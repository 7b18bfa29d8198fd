import DHTCore
import DHTWire

/// The receiver-side store check (`validate_before_store`, docs/protocol.md §13.2) as dhtop applies it before
/// writing: would a reference node holding `existing` accept `new`? The same check as
/// `BitDustStoreRule`, with its typed reason and the exact text reference nodes send back in
/// their `builtins.ValueError`. Pure; thread-safe; never reads the clock.
public enum RecordUpdateCheck {
    /// Why a reference node would refuse `new`, or nil when it would store it.
    /// - Parameters:
    ///   - new: the serialized value about to be stored.
    ///   - existing: the serialized value a node holds for the key, if any.
    public static func check(new: String, existing: String?) -> BitDustStoreRefusal? {
        BitDustStoreRule.check(new: .string(new), existing: existing.map { .string($0) })
    }

    /// The text a reference node would send back, or nil when it would store `new`.
    public static func refusal(new: String, existing: String?) -> String? {
        check(new: new, existing: existing)?.message
    }

    /// The revision BitDust's store check reads from a serialized value (`int(x['revision'])`),
    /// or nil when absent or not an integer.
    public static func revision(of value: String) -> Int64? {
        BitDustJSON.parse(value)?["revision"]?.intValue
    }

    /// The same-revision checks BitDust *intends* for `suppliers` and `message_broker` but which
    /// are dead code under Python 3 (docs/protocol.md §13.2 step 5). Reference nodes accept these updates;
    /// dhtop reports them as warnings. Returns the text the check would have produced.
    public static func sameRevisionWarning(new: String, existing: String) -> String? {
        guard let n = BitDustJSON.parse(new), let o = BitDustJSON.parse(existing),
            let nr = n["revision"]?.intValue, let or = o["revision"]?.intValue, nr == or
        else { return nil }
        switch o["type"]?.stringValue {
        case "suppliers":
            if let oe = o["ecc_map"], oe.isTruthy, n["ecc_map"] != oe {
                return "new json data have same revision but different ecc_map, current revision is \(or) "
            }
            if (o["suppliers"] ?? .array([])) != (n["suppliers"] ?? .array([])) {
                return "new json data have same revision but different suppliers list, current revision is \(or) "
            }
        case "message_broker":
            if let ob = o["broker_idurl"], ob != .null, let op = o["position"], op != .null,
                ob != n["broker_idurl"] || op != n["position"]
            {
                return "new json data have same revision but different broker info, current revision is \(or) "
            }
        default: break
        }
        return nil
    }
}
