import DHTCore
import DHTWire

/// Why a key could not be built from the given parts. `description` is the operator-facing text.
public enum RecordKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    case missingPart(type: RecordType, part: String)
    case extraParts(type: RecordType, extra: [String])
    case invalidIDURL(String, String)
    case invalidNumber(part: String, value: String, allowed: String)
    case invalidPart(part: String, value: String, reason: String)
    case unknownType(String)

    public var description: String {
        switch self {
        case .missingPart(let t, let p): return "missing \(p) for \(t.rawValue); usage: \(t.usage)"
        case .extraParts(let t, let e): return "unexpected extra parts \(e) for \(t.rawValue); usage: \(t.usage)"
        case .invalidIDURL(let s, let why): return "invalid IDURL \"\(s)\": \(why) (expected http(s)://host[:port]/name.xml)"
        case .invalidNumber(let p, let v, let allowed): return "\(p) \"\(v)\" must be \(allowed)"
        case .invalidPart(let p, let v, let why): return "invalid \(p) \"\(v)\": \(why)"
        case .unknownType(let s): return "unknown record type \"\(s)\"; known:\n" + RecordType.usageText
        }
    }
}

/// A BitDust key string (docs/protocol.md §12) with its DHT key `sha1(utf8(string))`.
/// A value type; pure; thread-safe; never reads the clock.
public struct RecordKey: Hashable, Sendable, CustomStringConvertible {
    public let type: RecordType
    /// The unhashed key string; also what `set_valid_data` writes into the `"key"` field.
    public let string: String
    /// The 160-bit DHT key.
    public let hash: NodeID

    public var description: String { "\(string) → \(hash.hex)" }

    /// BitDust's protocol version used by `make_key` (`_ProtocolVersion`).
    public static let protocolVersion = 7

    /// Wraps an already built key string.
    public init(type: RecordType, string: String) {
        self.type = type
        self.string = string
        self.hash = DHTKey.hash(string)
    }

    /// `dht_service.make_key`: `"{prefix}:{key}:{index}:{version}"`.
    public static func makeKey(prefix: String, key: String, index: Int = 0, version: Int = protocolVersion) -> String {
        "\(prefix):\(key):\(index):\(version)"
    }

    public static func identity(_ idurl: IDURL) -> RecordKey { RecordKey(type: .identity, string: idurl.text) }

    public static func suppliers(customer: IDURL) -> RecordKey {
        RecordKey(type: .suppliers, string: makeKey(prefix: "suppliers", key: customer.text))
    }

    /// The position is appended straight after the IDURL: `message_broker:<idurl><position>:0:7`.
    public static func messageBroker(customer: IDURL, position: Int = 0) -> RecordKey {
        RecordKey(type: .messageBroker, string: makeKey(prefix: "message_broker", key: "\(customer.text)\(position)"))
    }

    public static func nickname(_ nick: String, index: Int = 0) -> RecordKey {
        RecordKey(type: .nickname, string: makeKey(prefix: "nickname", key: nick, index: index))
    }

    /// `blockchain_identity:<hour>:<position>:7`, hour = floor(unix time / 3600) (the caller passes it).
    public static func bismuthIdentityRequest(hour: Int, position: Int) -> RecordKey {
        RecordKey(type: .bismuthIdentityRequest, string: makeKey(prefix: "blockchain_identity", key: String(hour), index: position))
    }

    /// The hour slot BitDust uses for a bismuth request written at `unixTime`.
    public static func bismuthHour(unixTime: Int64) -> Int { Int(unixTime / 3600) }

    public static let nodeState = RecordKey(type: .nodeState, string: "nodeState")

    public static func skipValidation(_ keyString: String) -> RecordKey { RecordKey(type: .skipValidation, string: keyString) }

    public static func legacyAddress(_ idurl: IDURL) -> RecordKey {
        RecordKey(type: .legacyAddress, string: idurl.udpUserID + ":address")
    }

    /// `user@host[:port]:incoming<slot>`, slot 0–9.
    public static func legacyIncoming(_ idurl: IDURL, slot: Int = 0) -> RecordKey {
        RecordKey(type: .legacyIncoming, string: idurl.udpUserID + ":incoming\(slot)")
    }

    /// `customer_supplier:<customer global id>:<index>:<version>`; version 4 was current in 2018.
    public static func customerSupplier(globalID: String, index: Int = 0, version: Int = 4) -> RecordKey {
        RecordKey(type: .customerSupplier, string: makeKey(prefix: "customer_supplier", key: globalID, index: index, version: version))
    }
}
