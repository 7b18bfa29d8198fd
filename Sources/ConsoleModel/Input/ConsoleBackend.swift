import DHTCore
import DHTWire

/// Runs prompt commands against the node; implemented by the executable.
///
/// Contract: `run` is called on the console's UI (main) thread and must return at once; the
/// work happens on the node's queues. `progress` may be called any number of times and
/// `completion` exactly once, from any thread (the console re-queues them to its own thread).
/// Only network commands arrive here (`get`, `set`, `getRecord`, `setRecord`, `delete`, `ping`,
/// `find`, `join`); the console handles `layer`, `filter`, `theme`, `help` and `quit` itself.
/// `getRecord`/`setRecord` are run with `RecordReadFlow`/`RecordWriteFlow` and reported with
/// `CommandOutcome(recordRead:)`, `CommandOutcome(recordWrite:)` and
/// `CommandOutcome(recordRefused:)` (see `CommandOutcome+Records.swift`).
public protocol ConsoleBackend: Sendable {
    func run(_ command: ConsoleCommand, progress: @escaping @Sendable (String) -> Void,
             completion: @escaping @Sendable (CommandOutcome) -> Void)
}

/// The result of one prompt command, in one line plus optional detail.
/// A value type; thread-safe.
public struct CommandOutcome: Sendable, Hashable, Codable {
    /// The command's echo (`find 3f2a…`), filled in by the console when empty.
    public var command: String
    public var succeeded: Bool
    /// One line, including what it cost: `found after 3 rounds, 11 RPCs, 4.2 ms`.
    public var summary: String
    /// Extra lines (a value, closest nodes); shown in the record pane.
    public var detail: [String]
    /// The same result with the raw value instead of the decoded record (`r` in the record pane
    /// toggles); nil when there is no such alternative.
    public var rawDetail: [String]?

    public init(command: String = "", succeeded: Bool, summary: String, detail: [String] = [], rawDetail: [String]? = nil) {
        self.command = command
        self.succeeded = succeeded
        self.summary = summary
        self.detail = detail
        self.rawDetail = rawDetail
    }

    /// A failure with a one-line reason.
    public static func failure(_ message: String) -> CommandOutcome {
        CommandOutcome(succeeded: false, summary: message)
    }

    /// `after 3 rounds, 11 RPCs, 4.2 ms` for a lookup.
    public static func cost(_ s: LookupSummary) -> String {
        "after \(s.rounds) round\(s.rounds == 1 ? "" : "s"), \(s.rpcsSent) RPC\(s.rpcsSent == 1 ? "" : "s"), "
            + Format.millis(s.elapsed)
    }

    /// The outcome an engine `OperationResult` reads as at the prompt.
    public init(_ result: OperationResult) {
        switch result {
        case .pong(let r):
            self.init(succeeded: true, summary: "pong from \(Format.id(r.id)) at \(r.endpoint) in \(Format.millis(r.rtt))")
        case .closest(let s):
            self.init(succeeded: !s.closest.isEmpty,
                      summary: "\(s.closest.count) closest found \(Self.cost(s)); common prefix \(s.closestCommonPrefix ?? 0) bits",
                      detail: s.closest.map { "\($0.id.hex)  \($0.endpoint)" })
        case .value(let v):
            if let first = v.values.first {
                var detail = RecordRendering.lines(for: first.value)
                detail.append("(\(v.values.count) cop\(v.values.count == 1 ? "y" : "ies"), from \(first.from.endpoint))")
                self.init(succeeded: true, summary: "found \(Self.cost(v.lookup))", detail: detail)
            } else {
                self.init(succeeded: false, summary: "not found \(Self.cost(v.lookup))")
            }
        case .stored(let s):
            self.init(succeeded: s.okCount > 0 || s.storedLocally,
                      summary: "stored on \(s.okCount)/\(s.replies.count) nodes\(s.storedLocally ? " + here" : "") \(Self.cost(s.lookup))")
        case .joined(let s):
            self.init(succeeded: true, summary: "joined: \(s.responders) responders \(Self.cost(s))")
        case .failed(let f):
            self.init(succeeded: false, summary: "\(f.code.rawValue): \(f.message)")
        }
    }
}
