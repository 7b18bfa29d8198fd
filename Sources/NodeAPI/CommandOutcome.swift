import DHTCore
import DHTWire

/// Runs `NodeCommand`s: the in-process node (`LocalNodeBackend`), a node over the control socket
/// (`RemoteConsole`), or a fake (the demo).
///
/// Contract: `run` returns at once; the work happens on the backend's own queues. `progress` may
/// be called any number of times and `completion` exactly once, from any thread (a console
/// re-queues them to its own thread). `layer` is the DHT layer the command works on.
public protocol NodeBackend: Sendable {
    func run(
        _ command: NodeCommand, layer: Int, progress: @escaping @Sendable (String) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void)
}

/// The result of one node command, rendered once: a summary line and detail lines for people,
/// and `json` (the same facts as fields) for scripts. The console shows `summary` at the prompt
/// and `detail` in the record pane; the CLI prints `lines`, or `json` with `--json`.
/// A value type; thread-safe.
public struct CommandOutcome: Sendable, Hashable {
    /// The command's echo (`find 3f2a…`), filled in by the console when empty.
    public var command: String
    public var succeeded: Bool
    /// One line, including what it cost: `found after 3 rounds, 11 RPCs, 4.2 ms`. On failure,
    /// the reason (also `json`'s `error`).
    public var summary: String
    /// Extra lines (a value, closest nodes, each node's answer).
    public var detail: [String]
    /// The same result with the raw value instead of the decoded record (`r` in the record pane
    /// toggles, `--raw` on the CLI); nil when there is no such alternative.
    public var rawDetail: [String]?
    /// The structured result (`key`, `key_hash`, `layer`, `found`, `value`, `rounds`, …), built by
    /// the same code as `summary` and `detail`.
    public var fields: JSONFields

    public init(
        command: String = "", succeeded: Bool, summary: String, detail: [String] = [], rawDetail: [String]? = nil,
        fields: JSONFields = JSONFields()
    ) {
        self.command = command
        self.succeeded = succeeded
        self.summary = summary
        self.detail = detail
        self.rawDetail = rawDetail
        self.fields = fields
    }

    /// A failure with a one-line reason, after the command's context `fields`.
    public static func failure(_ message: String, fields: JSONFields = JSONFields()) -> CommandOutcome {
        CommandOutcome(succeeded: false, summary: message, fields: fields)
    }

    /// The same outcome with `prefix` before its summary (`cannot join: …`).
    public func prefixed(_ prefix: String) -> CommandOutcome {
        var copy = self
        copy.summary = prefix + summary
        return copy
    }

    /// The text: the summary, then the detail (`raw`: `rawDetail` when there is one).
    public func lines(raw: Bool = false) -> [String] {
        [summary] + (raw ? rawDetail ?? detail : detail)
    }

    /// One JSON object: `fields`, then `ok` and, on failure, `error` (the summary).
    public var json: JSONValue {
        var f = fields
        f["ok"] = .bool(succeeded)
        f["error"] = succeeded ? nil : .string(summary)
        return f.object
    }
}
