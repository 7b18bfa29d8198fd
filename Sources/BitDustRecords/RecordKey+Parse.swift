/// CLI entry: builds a `RecordKey` from a type name and positional parts (`dhtop key TYPE PARTS…`).
/// Pure; thread-safe; never reads the clock.
extension RecordKey {
    /// Parses `typeName` (see `RecordType(name:)`) then the parts.
    public static func parse(typeName: String, parts: [String]) throws(RecordKeyError) -> RecordKey {
        guard let type = RecordType(name: typeName) else { throw .unknownType(typeName) }
        return try parse(type: type, parts: parts)
    }

    /// Builds the key for `type` from its parts; `type.usage` lists them.
    public static func parse(type: RecordType, parts: [String]) throws(RecordKeyError) -> RecordKey {
        var rest = parts[...]
        func take(_ name: String) throws(RecordKeyError) -> String {
            guard let p = rest.popFirst() else { throw .missingPart(type: type, part: name) }
            return p
        }
        func optionalInt(_ name: String, default value: Int, range: ClosedRange<Int>) throws(RecordKeyError) -> Int {
            guard let p = rest.popFirst() else { return value }
            guard let n = Int(p), range.contains(n) else {
                throw .invalidNumber(part: name, value: p, allowed: "an integer \(range.lowerBound)...\(range.upperBound)")
            }
            return n
        }
        let key: RecordKey
        switch type {
        case .identity:
            key = .identity(try IDURL.parse(take("IDURL")))
        case .suppliers:
            key = .suppliers(customer: try IDURL.parse(take("CUSTOMER_IDURL")))
        case .messageBroker:
            let idurl = try IDURL.parse(take("CUSTOMER_IDURL"))
            key = .messageBroker(customer: idurl, position: try optionalInt("POSITION", default: 0, range: 0...Int(Int32.max)))
        case .nickname:
            let nick = try take("NICK")
            guard !nick.isEmpty else { throw .invalidPart(part: "NICK", value: nick, reason: "must not be empty") }
            guard !nick.contains(":") else { throw .invalidPart(part: "NICK", value: nick, reason: "must not contain ':'") }
            key = .nickname(nick, index: try optionalInt("INDEX", default: 0, range: 0...Int(Int32.max)))
        case .bismuthIdentityRequest:
            let h = try take("HOUR")
            guard let hour = Int(h), hour >= 0 else {
                throw .invalidNumber(part: "HOUR", value: h, allowed: "a non-negative integer (unix time / 3600)")
            }
            let p = try take("POSITION")
            guard let pos = Int(p), pos >= 0 else { throw .invalidNumber(part: "POSITION", value: p, allowed: "a non-negative integer") }
            key = .bismuthIdentityRequest(hour: hour, position: pos)
        case .skipValidation:
            let s = try take("KEY_STRING")
            guard !s.isEmpty else { throw .invalidPart(part: "KEY_STRING", value: s, reason: "must not be empty") }
            key = .skipValidation(s)
        case .nodeState:
            key = .nodeState
        case .legacyAddress:
            key = .legacyAddress(try IDURL.parse(take("IDURL")))
        case .legacyIncoming:
            let idurl = try IDURL.parse(take("IDURL"))
            key = .legacyIncoming(idurl, slot: try optionalInt("SLOT", default: 0, range: 0...9))
        case .customerSupplier:
            let c = try take("CUSTOMER_IDURL|GLOBAL_ID")
            let gid: String
            if c.lowercased().hasPrefix("http") {
                gid = try IDURL.parse(c).globalID
            } else {
                guard c.contains("@"), !c.contains(":"), !c.contains(where: \.isWhitespace) else {
                    throw .invalidPart(part: "GLOBAL_ID", value: c, reason: "expected user@host[_port] or an IDURL")
                }
                gid = c
            }
            let index = try optionalInt("INDEX", default: 0, range: 0...Int(Int32.max))
            key = .customerSupplier(globalID: gid, index: index, version: try optionalInt("VERSION", default: 4, range: 0...99))
        }
        guard rest.isEmpty else { throw .extraParts(type: type, extra: Array(rest)) }
        return key
    }
}
