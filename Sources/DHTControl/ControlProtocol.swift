import NodeAPI
import DHTCore
import DHTWire
import FoundationEssentials

/// The control socket's protocol: one JSON object per line (`\n`-terminated, UTF-8), each with a
/// `type` field. Client to server: `hello`, `status`, `subscribe`, `command`. Server to client:
/// `welcome`, `error`, `status`, `snapshot_begin` / `snapshot_part`… / `snapshot_end` (a snapshot
/// of any size, in lines under `maxServerLineBytes`; `ControlClient` reassembles them into one
/// `snapshot`), `events`, `progress`, `outcome`.
///
/// Everything inside the messages is a `Wire` type with its names spelled out (events are
/// `EventJSON` objects), so the protocol changes only when this target says so; keys are written
/// sorted, so the same message is always the same bytes.
///
/// A namespace of pure functions; thread-safe.
public enum ControlProtocol {
    /// Bumped on incompatible changes; a server refuses a `hello` with another version.
    /// 2: snapshots are streamed in parts.
    /// 3: explicit wire types (`Wire`), events as `EventJSON` objects each with its own time,
    ///    commands carry their layer.
    public static let version = 3
    /// The longest line a server accepts from a client.
    public static let maxClientLineBytes = 1 << 20
    /// The longest line a client accepts from a server (snapshots come in parts far below it).
    public static let maxServerLineBytes = 16 << 20

    /// One message as a JSON line, newline included.
    public static func line<T: Encodable>(_ message: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        guard let data = try? encoder.encode(message) else { return Array("{\"type\":\"error\",\"message\":\"encoding failed\"}\n".utf8) }
        var bytes = [UInt8](data)
        bytes.append(0x0a)
        return bytes
    }

    /// Decodes one line (without its newline).
    public static func decode<T: Decodable>(_ type: T.Type, _ line: some Collection<UInt8>) throws -> T {
        try JSONDecoder().decode(type, from: Data(line))
    }
}

/// A message from a console or a script to the node. A value type.
public enum ClientMessage: Sendable, Hashable, Codable {
    /// The first message: the client's protocol version.
    case hello(version: Int)
    /// Asks for one `status` reply.
    case status
    /// Asks for a `snapshot` now, then `events` batches as they happen and a `snapshot` a second.
    case subscribe
    /// Runs a prompt command on `layer`; `progress` lines then one `outcome` come back with the same id.
    case command(id: Int, NodeCommand, layer: Int)

    private enum Keys: String, CodingKey { case type, version, id, command, layer }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "hello": self = .hello(version: try c.decode(Int.self, forKey: .version))
        case "status": self = .status
        case "subscribe": self = .subscribe
        case "command":
            self = .command(
                id: try c.decode(Int.self, forKey: .id), try c.decode(NodeCommand.self, forKey: .command),
                layer: try c.decode(Int.self, forKey: .layer))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown message type '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .hello(let v):
            try c.encode("hello", forKey: .type)
            try c.encode(v, forKey: .version)
        case .status: try c.encode("status", forKey: .type)
        case .subscribe: try c.encode("subscribe", forKey: .type)
        case .command(let id, let cmd, let layer):
            try c.encode("command", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(cmd, forKey: .command)
            try c.encode(layer, forKey: .layer)
        }
    }
}

/// A message from the node to a client. A value type.
public enum ServerMessage: Sendable, Codable {
    /// The answer to `hello`.
    case welcome(version: Int, nodeVersion: String, pid: Int32)
    /// A refusal or a protocol error; the server closes the connection after a fatal one.
    case error(String)
    case status(StatusReport)
    /// A whole snapshot: what `ControlClient` hands on once it has reassembled the parts below.
    case snapshot(NodeSnapshot)
    /// The start of snapshot `seq`: everything but the records, and how many records each layer has.
    case snapshotBegin(seq: Int, NodeSnapshot, recordCounts: [Int])
    /// Records of layer index `layer` (in the snapshot's `layers`), in order.
    case snapshotPart(seq: Int, layer: Int, [StoredRecord])
    case snapshotEnd(seq: Int)
    /// Node events in order, each with the engine's time of when it happened.
    case events([TimedEvent])
    case progress(id: Int, line: String)
    case outcome(id: Int, CommandOutcome)

    private enum Keys: String, CodingKey {
        case type, version, nodeVersion = "node_version", pid, message, status, snapshot, events, id, line, outcome
        case seq, layer, records, recordCounts = "record_counts"
    }

    /// A wire value converted to its core type; a value that does not make one is a decoding error.
    private static func core<T>(_ c: KeyedDecodingContainer<Keys>, _ key: Keys, _ convert: () throws(Wire.Invalid) -> T) throws -> T {
        do throws(Wire.Invalid) { return try convert() } catch {
            throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: error.description)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        switch try c.decode(String.self, forKey: .type) {
        case "welcome":
            self = .welcome(
                version: try c.decode(Int.self, forKey: .version), nodeVersion: try c.decode(String.self, forKey: .nodeVersion),
                pid: try c.decode(Int32.self, forKey: .pid))
        case "error": self = .error(try c.decode(String.self, forKey: .message))
        case "status": self = .status(try c.decode(StatusReport.self, forKey: .status))
        case "snapshot":
            let wire = try c.decode(Wire.Snapshot.self, forKey: .snapshot)
            self = .snapshot(try Self.core(c, .snapshot) { () throws(Wire.Invalid) in try wire.core() })
        case "snapshot_begin":
            let wire = try c.decode(Wire.Snapshot.self, forKey: .snapshot)
            self = .snapshotBegin(
                seq: try c.decode(Int.self, forKey: .seq), try Self.core(c, .snapshot) { () throws(Wire.Invalid) in try wire.core() },
                recordCounts: try c.decode([Int].self, forKey: .recordCounts))
        case "snapshot_part":
            let wire = try c.decode([Wire.Record].self, forKey: .records)
            self = .snapshotPart(
                seq: try c.decode(Int.self, forKey: .seq), layer: try c.decode(Int.self, forKey: .layer),
                try Self.core(c, .records) { () throws(Wire.Invalid) in
                    var out: [StoredRecord] = []
                    for r in wire { out.append(try r.core()) }
                    return out
                })
        case "snapshot_end": self = .snapshotEnd(seq: try c.decode(Int.self, forKey: .seq))
        case "events": self = .events(try c.decode([Wire.Event].self, forKey: .events).map(\.event))
        case "progress": self = .progress(id: try c.decode(Int.self, forKey: .id), line: try c.decode(String.self, forKey: .line))
        case "outcome": self = .outcome(id: try c.decode(Int.self, forKey: .id), try c.decode(CommandOutcome.self, forKey: .outcome))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown message type '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        switch self {
        case .welcome(let v, let nv, let pid):
            try c.encode("welcome", forKey: .type)
            try c.encode(v, forKey: .version)
            try c.encode(nv, forKey: .nodeVersion)
            try c.encode(pid, forKey: .pid)
        case .error(let m):
            try c.encode("error", forKey: .type)
            try c.encode(m, forKey: .message)
        case .status(let s):
            try c.encode("status", forKey: .type)
            try c.encode(s, forKey: .status)
        case .snapshot(let s):
            try c.encode("snapshot", forKey: .type)
            try c.encode(Wire.Snapshot(s), forKey: .snapshot)
        case .snapshotBegin(let seq, let s, let counts):
            try c.encode("snapshot_begin", forKey: .type)
            try c.encode(seq, forKey: .seq)
            try c.encode(Wire.Snapshot(s), forKey: .snapshot)
            try c.encode(counts, forKey: .recordCounts)
        case .snapshotPart(let seq, let layer, let records):
            try c.encode("snapshot_part", forKey: .type)
            try c.encode(seq, forKey: .seq)
            try c.encode(layer, forKey: .layer)
            try c.encode(records.map(Wire.Record.init), forKey: .records)
        case .snapshotEnd(let seq):
            try c.encode("snapshot_end", forKey: .type)
            try c.encode(seq, forKey: .seq)
        case .events(let e):
            try c.encode("events", forKey: .type)
            try c.encode(e.map(Wire.Event.init), forKey: .events)
        case .progress(let id, let line):
            try c.encode("progress", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(line, forKey: .line)
        case .outcome(let id, let o):
            try c.encode("outcome", forKey: .type)
            try c.encode(id, forKey: .id)
            try c.encode(o, forKey: .outcome)
        }
    }
}

/// Splits a byte stream into lines, refusing a line longer than `limit`. A value type; used on
/// one queue.
/// Each byte is scanned once, so a line dribbled a byte at a time costs linear time.
public struct LineSplitter: Sendable {
    public let limit: Int
    private var pending: [UInt8] = []
    /// Bytes of `pending` already known to hold no newline.
    private var scanned = 0

    public init(limit: Int) { self.limit = limit }

    /// Bytes of the incomplete line held now.
    public var pendingCount: Int { pending.count }

    /// Appends bytes and returns the complete lines (without `\n`); nil when a line exceeds the limit.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [[UInt8]]? {
        pending.append(contentsOf: bytes)
        var lines: [[UInt8]] = []
        var start = 0
        var from = scanned
        while let nl = pending[from...].firstIndex(of: 0x0a) {
            if nl - start > limit { return nil }
            lines.append(Array(pending[start..<nl]))
            start = nl + 1
            from = start
        }
        pending.removeFirst(start)
        scanned = pending.count
        if pending.count > limit { return nil }
        return lines
    }
}
