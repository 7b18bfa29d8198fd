import BitDustRecords
import DHTCore
import DHTWire

/// A command the node runs, the same from the console's prompt, the control socket and the
/// one-shot CLI (`dhtop get`, …): already validated, run by a `NodeBackend` on a layer given
/// with it. A value type; thread-safe.
public enum NodeCommand: Sendable, Hashable {
    /// Iterative findValue of a key (see `KeyArgument` for the key rule).
    case get(KeyArgument)
    /// Iterative store of `value` (text, usually JSON) under a key; `expireSeconds` nil = the
    /// node's default.
    case set(KeyArgument, value: String, expireSeconds: Int64?)
    /// A BitDust record read like BitDust's reader: every copy (collect-all findValue), highest
    /// revision kept, replicas compared (`RecordReadFlow`). `parts` already make a valid key.
    case getRecord(type: RecordType, parts: [String])
    /// A BitDust record write: `assignments` are `FIELD=VALUE` words (`RecordWriteFlow`: local
    /// rule check, read the current revision, store the next one).
    case setRecord(type: RecordType, parts: [String], assignments: [String], options: RecordWriteOptions = .init())
    /// Remove this node's own copy of a key (other nodes keep theirs until they expire).
    case delete(KeyArgument)
    /// Ping one address.
    case ping(Endpoint)
    /// Iterative findNode for a node id (`KeyArgument.findTarget`), reported round by round.
    case find(KeyArgument)
    /// Join the layer through a seed.
    case join(Endpoint)
    /// Service discovery (spec §7): random-key lookups on the layer, then `request("idurl")`
    /// (`"location"` on layer 9) to each node found, until enough providers or the time budget.
    case discover(DiscoverOptions)
    /// Poll a key with backoff; report the value when first found and at each change.
    /// Streaming: each report is a progress line.
    case watch(WatchTarget, WatchOptions)
    /// Walk the layer's whole network (findNode towards every bucket of every node found),
    /// rate-limited. Streaming: each node is a progress line.
    case crawl(CrawlOptions)
    /// Drop a contact (by its id on the layer) from this node's routing table; it comes back if
    /// it talks to us again. Offered on a contact's page in the console.
    case forget(NodeID)
    /// The node's RPC latency histograms, by method (all layers).
    case latency

    /// How a record write is done beyond its fields (the CLI's `--expire`, `--no-read`,
    /// `--bitdust-nickname`). A value type.
    public struct RecordWriteOptions: Sendable, Hashable {
        /// The record's lifetime in seconds (BitDust's 43200 unless given).
        public var expireSeconds: Int64
        /// Read the network's current revision first (false: store revision 0, or the one given).
        public var readFirst: Bool
        public var nickname: NicknameQuirk.Mode

        public init(expireSeconds: Int64 = 43_200, readFirst: Bool = true, nickname: NicknameQuirk.Mode = .intended) {
            self.expireSeconds = expireSeconds
            self.readFirst = readFirst
            self.nickname = nickname
        }
    }

    /// Whether the command changes stored data (refused in read-only mode).
    public var writes: Bool {
        switch self {
        case .set, .setRecord, .delete: return true
        default: return false
        }
    }

    /// What the command is about, as the first fields of its outcome's JSON: `key`/`key_hash`,
    /// `target`/`target_id`, `type`/`key_string`, and `layer`.
    public func contextFields(layer: Int) -> JSONFields {
        var f = JSONFields()
        switch self {
        case .get(let key), .set(let key, _, _), .delete(let key):
            f["key"] = .string(key.text)
            f["key_hash"] = .string(key.id.hex)
        case .find(let target):
            f["target"] = .string(target.text)
            f["target_id"] = .string(target.id.hex)
        case .ping(let endpoint):
            f["target"] = .string(endpoint.description)
        case .join(let endpoint):
            f["seed"] = .string(endpoint.description)
        case .discover(let options):
            f["count"] = .int(options.count)
            f["request"] = .string(DiscoverOptions.requestName(layer: layer))
        case .watch(let target, let options):
            f["watch"] = .string(target.text)
            if let id = target.id { f["key_hash"] = .string(id.hex) }
            f["interval_s"] = .int(options.intervalSeconds)
        case .latency:
            break
        case .crawl(let options):
            f["rate"] = .int(options.rate)
            f["max_nodes"] = .int(options.maxNodes)
        case .forget(let id):
            f["contact"] = .string(id.hex)
        case .getRecord(let type, let parts), .setRecord(let type, let parts, _, _):
            f["type"] = .string(type.rawValue)
            if let key = try? RecordKey.parse(type: type, parts: parts) {
                f["key_string"] = .string(key.string)
                f["key_hash"] = .string(key.hash.hex)
            }
        }
        f["layer"] = .int(layer)
        return f
    }

    /// The node commands' words, for help and tab completion.
    public static let words = ["crawl", "delete", "discover", "find", "forget", "get", "join", "latency", "ping", "set", "watch"]

    /// One usage line per node command (the prompt's help adds its own commands).
    public static let usage: [String] = [
        "get [--raw-key] KEY                 find a value (KEY is hashed; --raw-key: 40 hex)",
        "set [--raw-key] KEY VALUE [EXPIRE]  JSON with a \"type\"; or --text WORDS",
        "get --record TYPE PARTS…            read a BitDust record from every replica",
        "set --record TYPE PARTS… FIELD=V…   write a BitDust record (next revision)",
        "delete [--raw-key] KEY   delete a locally stored key",
        "ping HOST:PORT           ping one node",
        "find ID|KEY              closest nodes, round by round (40 hex: an id)",
        "join HOST:PORT           join the current layer through a seed",
        "discover [LAYER] [N]     N service providers (LAYER: the one shown)",
        "watch KEY [N]            KEY found, then each change (N reports)",
        "crawl [RATE]             every node of the layer (RATE RPCs/s, 20)",
        "latency                  RPC round-trip times by method",
        "forget ID                drop a contact (40 hex) from the routing table"
    ]

    /// `HOST:PORT` with an IPv4 host (or `localhost`); nil for anything else.
    public static func endpoint(_ text: String) -> Endpoint? {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        if host == "localhost" { host = "127.0.0.1" }
        guard let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        return Endpoint(host: host, port: port)
    }
}
