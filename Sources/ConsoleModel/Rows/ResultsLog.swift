import DHTWire
import NodeAPI

/// Every command's full result — its summary and all detail lines — kept for the results log
/// page (`L`) and written out as plain text (`w` there). Console errors (a line that does not
/// parse, a refused command) are kept too.
///
/// Contract: a value type owned by `ConsoleState` (UI thread); reads no clock. Bounded: the
/// newest `capacity` entries, each with at most `linesPerEntry` detail lines (docs/limits.md,
/// "Console"); what was cut is counted and said.
public struct ResultsLog: Sendable {
    /// One result.
    public struct Entry: Sendable, Hashable {
        public var at: Timestamp
        /// The command line as typed (sanitized).
        public var command: String
        public var succeeded: Bool
        public var summary: String
        /// Detail lines, sanitized.
        public var lines: [String]
        /// Detail lines not kept.
        public var linesCut: Int
    }

    /// Results kept at most.
    public static let capacity = 200
    /// Detail lines kept per result.
    public static let linesPerEntry = 2000

    public private(set) var entries = RingBuffer<Entry>(capacity: ResultsLog.capacity)
    /// Progress lines of the command running now (a `find`'s rounds), kept for its entry.
    public private(set) var progress: [String] = []
    private var progressCut = 0

    public init() {}

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }
    public var latest: Entry? { entries.last }

    /// Keeps a progress line of the running command, for its entry.
    public mutating func addProgress(_ line: String) {
        if progress.count < Self.linesPerEntry { progress.append("… " + line) } else { progressCut += 1 }
    }

    /// Keeps a command's outcome: its progress lines, then its detail lines (or the raw ones
    /// when only those exist).
    public mutating func add(_ outcome: CommandOutcome, command: String, at: Timestamp) {
        let detail = outcome.detail.isEmpty ? (outcome.rawDetail ?? []) : outcome.detail
        let cut = progressCut
        add(command: command, succeeded: outcome.succeeded, summary: outcome.summary, lines: progress + detail, at: at)
        if cut > 0, var last = entries.last {
            last.linesCut += cut
            entries[entries.count - 1] = last
        }
        progress = []
        progressCut = 0
    }

    /// Keeps a result made by the console itself.
    public mutating func add(command: String, succeeded: Bool, summary: String, lines: [String] = [], at: Timestamp) {
        let kept = lines.prefix(Self.linesPerEntry).map { Sanitizer.clean($0) }
        entries.append(
            Entry(
                at: at, command: Sanitizer.clean(command), succeeded: succeeded, summary: Sanitizer.clean(summary),
                lines: kept, linesCut: max(0, lines.count - Self.linesPerEntry)))
    }

    /// The log as lines, oldest first: a header line per result (`HH:MM:SS ok|FAILED command:
    /// summary`), its detail indented by two spaces, and what the bounds cut.
    public var lines: [String] {
        var out: [String] = []
        if entries.dropped > 0 { out.append("(\(entries.dropped) older results dropped; the log keeps \(Self.capacity))") }
        for e in entries.elements {
            let head = e.command.isEmpty ? e.summary : e.command + ": " + e.summary
            out.append("\(Self.clock(e.at)) \(e.succeeded ? "ok" : "FAILED") \(head)")
            out += e.lines.map { "  " + $0 }
            if e.linesCut > 0 { out.append("  (\(e.linesCut) more lines not kept)") }
        }
        return out
    }

    /// The whole log as plain text, one line per line, ending in a newline.
    public var plainText: String { lines.map { $0 + "\n" }.joined() }

    /// `HH:MM:SS` (UTC).
    static func clock(_ t: Timestamp) -> String {
        let s = Int((t.unixSeconds % 86400 + 86400) % 86400)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
    }
}
