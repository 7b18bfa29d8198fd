import DHTCore

/// Every BitDust record type dhtop knows: the current ones (`dht_records._Rules`, docs/protocol.md §13.3),
/// the node's own `nodeState`, and the legacy service-information formats of docs/protocol.md §12.
/// A value type; pure; thread-safe; never reads the clock.
public enum RecordType: String, CaseIterable, Sendable, Hashable, Codable, CustomStringConvertible {
    case identity
    case suppliers
    case messageBroker = "message_broker"
    case nickname
    case bismuthIdentityRequest = "bismuth_identity_request"
    case skipValidation = "skip_validation"
    case nodeState
    /// Legacy UDP transport: `<user>@<host>[:<port>]:address` → `"ip:port"` (not JSON).
    case legacyAddress = "address"
    /// Legacy UDP transport: `<user>@<host>[:<port>]:incoming<N>` → `"<id> <ip>:<port> <time>\n"`.
    case legacyIncoming = "incoming"
    /// 2018 relations: `customer_supplier:<customer global id>:<index>:<version>` (version 4).
    case customerSupplier = "customer_supplier"

    public var description: String { rawValue }

    /// Parses a CLI name; accepts the raw names plus a few aliases (`message-broker`, `bismuth`,
    /// `nodestate`, `node_state`, `skip`). Case-insensitive.
    public init?(name: String) {
        let n = name.lowercased().replacingScalar("-", with: "_")
        switch n {
        case "node_state", "nodestate": self = .nodeState
        case "bismuth", "blockchain_identity": self = .bismuthIdentityRequest
        case "skip": self = .skipValidation
        case "broker": self = .messageBroker
        default:
            guard let t = RecordType.allCases.first(where: { $0.rawValue.lowercased() == n }) else { return nil }
            self = t
        }
    }

    /// The value the record's JSON `"type"` field carries, and the rule set it is checked against.
    /// `nodeState` is written as `skip_validation`; legacy types are not JSON and have none.
    public var jsonTypeName: String? {
        switch self {
        case .identity, .suppliers, .messageBroker, .nickname, .bismuthIdentityRequest, .skipValidation:
            return rawValue
        case .nodeState: return "skip_validation"
        case .legacyAddress, .legacyIncoming, .customerSupplier: return nil
        }
    }

    /// True for the formats current validating nodes reject or no longer write.
    public var isLegacy: Bool {
        switch self {
        case .legacyAddress, .legacyIncoming, .customerSupplier: return true
        default: return false
        }
    }

    /// The record type a JSON `"type"` value names, if any (`skip_validation` → `.skipValidation`).
    public static func fromJSONType(_ name: String) -> RecordType? {
        switch name {
        case "identity": return .identity
        case "suppliers": return .suppliers
        case "message_broker": return .messageBroker
        case "nickname": return .nickname
        case "bismuth_identity_request": return .bismuthIdentityRequest
        case "skip_validation": return .skipValidation
        default: return nil
        }
    }

    /// The key parts `RecordKey.parse(type:parts:)` expects, for CLI help.
    public var usage: String {
        switch self {
        case .identity: return "identity IDURL            e.g. identity http://id-host:8084/alice.xml"
        case .suppliers: return "suppliers CUSTOMER_IDURL"
        case .messageBroker: return "message_broker CUSTOMER_IDURL [POSITION=0]"
        case .nickname: return "nickname NICK [INDEX=0]"
        case .bismuthIdentityRequest: return "bismuth_identity_request HOUR POSITION   (HOUR = floor(unix time / 3600))"
        case .skipValidation: return "skip_validation KEY_STRING   (any literal key string)"
        case .nodeState: return "nodeState                 (no parts; key is the literal \"nodeState\")"
        case .legacyAddress: return "address IDURL             (key user@host[:port]:address)"
        case .legacyIncoming: return "incoming IDURL [SLOT=0]   (SLOT 0-9; key user@host[:port]:incomingSLOT)"
        case .customerSupplier: return "customer_supplier CUSTOMER_IDURL|GLOBAL_ID [INDEX=0] [VERSION=4]"
        }
    }

    /// Usage lines for every type, one per line.
    public static var usageText: String { allCases.map { "  " + $0.usage }.joined(separator: "\n") }
}
