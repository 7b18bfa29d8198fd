import BitDustRecords
import DHTWire

/// A command typed at the `:` prompt, already validated. A value type; thread-safe.
public enum ConsoleCommand: Sendable, Hashable, Codable {
    /// Iterative findValue of a key (BitDust key text or 40 hex digits).
    case get(key: String)
    /// Iterative store of `value` (text, usually JSON) under `key`; `expireSeconds` nil = default.
    case set(key: String, value: String, expireSeconds: Int64?)
    /// A BitDust record read like BitDust's reader: every copy (collect-all findValue), highest
    /// revision kept, replicas compared. The backend runs `RecordReadFlow` (see `ConsoleBackend`).
    /// `parts` already make a valid key for `type`.
    case getRecord(type: RecordType, parts: [String])
    /// A BitDust record write: `assignments` are `FIELD=VALUE` words. The backend runs
    /// `RecordWriteFlow` (local rule check, read the current revision, store the next one).
    case setRecord(type: RecordType, parts: [String], assignments: [String])
    /// Remove a locally stored key (refused in read-only mode).
    case delete(key: String)
    /// Ping one address.
    case ping(Endpoint)
    /// Iterative findNode, shown live round by round.
    case find(FindTarget)
    /// Join the current layer through a seed.
    case join(Endpoint)
    /// Show this layer in the panes (handled by the console).
    case layer(Int)
    /// Filter the focused pane (handled by the console).
    case filter(String)
    /// Switch theme (handled by the TUI).
    case theme(String)
    case help
    case quit

    /// What `find` looks for.
    public enum FindTarget: Sendable, Hashable, Codable {
        /// A node id given as 40 hex digits.
        case id(NodeID)
        /// A key given as text; the backend hashes it the way BitDust does (`DHTKey.hash`).
        case key(String)
    }

    /// Whether the node does the work (sent to `ConsoleBackend`), as opposed to the console.
    public var isNetworkCommand: Bool {
        switch self {
        case .get, .set, .getRecord, .setRecord, .delete, .ping, .find, .join: return true
        case .layer, .filter, .theme, .help, .quit: return false
        }
    }

    /// Whether the command changes stored data (refused in read-only mode).
    public var writes: Bool {
        switch self {
        case .set, .setRecord, .delete: return true
        default: return false
        }
    }

    /// Every command word, for help and tab completion.
    public static let words = ["delete", "filter", "find", "get", "help", "join", "layer", "ping", "quit", "set", "theme"]

    /// One usage line per command.
    public static let usage: [String] = [
        "get KEY                  find a value (BitDust key or 40 hex digits)",
        "set KEY VALUE [EXPIRE]   store VALUE (quote spaces) for EXPIRE seconds",
        "get --record TYPE PARTS…            read a BitDust record from every replica",
        "set --record TYPE PARTS… FIELD=V…   write a BitDust record (next revision)",
        "delete KEY               delete a locally stored key",
        "ping HOST:PORT           ping one node",
        "find ID|KEY              find the closest nodes, live round by round",
        "join HOST:PORT           join the current layer through a seed",
        "layer N                  show layer N",
        "filter TEXT              filter the focused pane (empty clears)",
        "theme NAME               switch color theme",
        "help                     this list",
        "quit                     leave dhtop",
    ]
}
