import DHTCore
import FoundationEssentials

/// Builds the value `set --record TYPE PARTS… FIELD=VALUE…` stores, exactly as BitDust's
/// `set_valid_data` would (docs/protocol.md §13.1): the writer's fields, `key` and `type` added, rules
/// checked locally before anything is sent, serialized with `BitDustJSON.serialized()`.
/// Pure; thread-safe; never reads the clock (`now` is passed in).
public enum RecordBuilder {
    /// The result: the key to store under and the exact value text.
    public struct Built: Hashable, Sendable {
        public let key: RecordKey
        public let json: BitDustJSON
        /// The serialized value, ready for `store`.
        public let value: String
        public let revision: Int64?
    }

    /// Why nothing may be sent. `description` names the rule that failed.
    public enum BuildError: Error, Hashable, Sendable, CustomStringConvertible {
        case key(RecordKeyError)
        case badAssignment(String)
        case notWritable(RecordType, String)
        case rules([RuleViolation])
        /// A reference node holding the network's current value would refuse; the node's own text.
        case refusedByNetworkRule(String)

        public var description: String {
            switch self {
            case .key(let e): return e.description
            case .badAssignment(let a): return "bad assignment \"\(a)\": expected FIELD=VALUE"
            case .notWritable(let t, let why): return "\(t.rawValue) records cannot be written: \(why)"
            case .rules(let v): return "refused before sending: " + v.map(\.description).joined(separator: "; ")
            case .refusedByNetworkRule(let text): return "refused before sending (a reference node would answer): \(text)"
            }
        }
    }

    /// Parses `FIELD=VALUE` pairs: a value is JSON when it parses as JSON, else a string; for
    /// `listFields` a non-JSON value is split on `,` (empty value → empty list).
    /// Quote a value as JSON (`nick='"123"'`) to force a string.
    public static func parseAssignments(_ pairs: [String], listFields: Set<String> = []) throws(BuildError) -> [String: BitDustJSON] {
        var out: [String: BitDustJSON] = [:]
        for pair in pairs {
            guard let eq = pair.firstIndex(of: "="), eq != pair.startIndex else { throw .badAssignment(pair) }
            let field = String(pair[..<eq]), text = String(pair[pair.index(after: eq)...])
            if let json = BitDustJSON.parse(text) {
                out[field] = json
            } else if listFields.contains(field) {
                out[field] = .array(
                    text.isEmpty
                        ? []
                        : text.split(separator: ",", omittingEmptySubsequences: false).map {
                            .string($0.trimmedWhitespace())
                        })
            } else {
                out[field] = .string(text)
            }
        }
        return out
    }

    /// Builds and checks a record.
    /// - Parameters:
    ///   - parts: the key parts (`RecordType.usage`).
    ///   - assignments: `FIELD=VALUE` strings; they override the writer's defaults.
    ///   - now: unix seconds used for `timestamp` unless one is given.
    ///   - networkRevision: the highest JSON `revision` the network returned for the key (nil: none
    ///     found). The new revision is that + 1, or 0 (BitDust's default) when nothing exists.
    ///   - existingValue: the winning value the network holds, if any; the build is refused when a
    ///     reference node holding it would refuse the store (type change, lower revision).
    ///   - nickname: how nickname fields are filled (`NicknameQuirk.Mode`).
    public static func build(
        type: RecordType, parts: [String], assignments: [String], now: Int64,
        networkRevision: Int64? = nil, existingValue: String? = nil,
        nickname: NicknameQuirk.Mode = .intended
    ) throws(BuildError) -> Built {
        if type.isLegacy { throw .notWritable(type, "legacy non-JSON format; validating nodes refuse it") }
        let key: RecordKey
        do { key = try RecordKey.parse(type: type, parts: parts) } catch { throw .key(error) }
        let given = try parseAssignments(assignments, listFields: RecordRules.listFields(for: type))
        var obj = defaults(type: type, parts: parts, nickname: nickname)
        let carriesRevision = type == .suppliers || type == .messageBroker
        if carriesRevision || networkRevision != nil || given["revision"] != nil {
            obj["revision"] = .int(networkRevision.map { $0 &+ 1 } ?? 0)
        }
        obj["timestamp"] = .int(now)
        for (k, v) in given { obj[k] = v }
        // set_valid_data (populate_meta_fields) forces these two:
        obj["key"] = .string(key.string)
        obj["type"] = .string(type.jsonTypeName ?? type.rawValue)
        let json = BitDustJSON.object(obj)
        let violations = RecordRules.validate(type: type, json: json)
        if !violations.isEmpty { throw .rules(violations) }
        let value = json.serialized()
        if let networkRevision, let r = json["revision"]?.intValue, r < networkRevision {
            throw .refusedByNetworkRule("new json data must increment revision number, current revision is \(networkRevision) ")
        }
        if let existingValue, let refusal = RecordUpdateCheck.refusal(new: value, existing: existingValue) {
            throw .refusedByNetworkRule(refusal)
        }
        return Built(key: key, json: json, value: value, revision: json["revision"]?.intValue)
    }

    /// The fields BitDust's writer for `type` fills from the key parts.
    static func defaults(type: RecordType, parts: [String], nickname mode: NicknameQuirk.Mode) -> [String: BitDustJSON] {
        let first = parts.first.map(BitDustJSON.string)
        switch type {
        case .identity: return ["idurl": first ?? .null]
        case .suppliers: return ["customer_idurl": first ?? .null, "publisher_idurl": .null]
        case .messageBroker:
            return ["customer_idurl": first ?? .null, "position": .int(Int64(parts.dropFirst().first ?? "0") ?? 0)]
        case .nickname:
            let f = NicknameQuirk.fields(nick: parts.first ?? "", index: Int(parts.dropFirst().first ?? "0") ?? 0, mode: mode)
            return ["nickname": .string(f.nickname), "position": .string(f.position)]
        case .bismuthIdentityRequest:
            return ["position": .int(Int64(parts.dropFirst().first ?? "0") ?? 0)]
        case .nodeState, .skipValidation, .legacyAddress, .legacyIncoming, .customerSupplier: return [:]
        }
    }
}

/// BitDust 0.1.24's `set_nickname(key, idurl)` splits the *full* key (`nickname:<nick>:<index>:7`)
/// at its first `:`, so real nodes write `"nickname": "nickname"` and
/// `"position": "<nick>:<index>:7"` (docs/protocol.md §13.3). Readers only use `idurl`, so both forms are
/// accepted by BitDust. This type maps between the two. Pure; thread-safe.
public enum NicknameQuirk {
    /// How `RecordBuilder` fills a nickname record's `nickname` and `position` fields.
    public enum Mode: Sendable, Hashable {
        /// The evidently intended values: `"nickname": "<nick>"`, `"position": "<index>"` (a string,
        /// as `str.partition` would have produced from the intended key `"<nick>:<index>"`).
        case intended
        /// Byte-for-byte what BitDust 0.1.24 writes: `"nickname": "nickname"`,
        /// `"position": "<nick>:<index>:7"`.
        case bitdust
    }

    /// The `(nickname, position)` field values for a nickname key under `mode`.
    public static func fields(nick: String, index: Int, mode: Mode) -> (nickname: String, position: String) {
        switch mode {
        case .intended: return (nick, String(index))
        case .bitdust: return ("nickname", "\(nick):\(index):\(RecordKey.protocolVersion)")
        }
    }

    /// Recovers nick and index from a quirk-written position `"<nick>:<index>:<version>"`.
    public static func split(position: String) -> (nick: String, index: Int)? {
        let parts = position.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, let i = Int(parts[1]), Int(parts[2]) != nil else { return nil }
        return (String(parts[0]), i)
    }
}
