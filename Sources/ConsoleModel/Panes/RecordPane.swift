import BitDustRecords
import DHTWire

/// The Record pane: the selected key's value decoded as a BitDust record (type, owner, revision,
/// freshness, validity and the rule it breaks), or the detail of the last command (a found value,
/// a record read's replicas, the closest nodes). `r` switches between the decoded record and the
/// raw value. A value type owned by `ConsoleState`; pure (time comes in as `now`).
public struct RecordPane: Sendable, Hashable {
    /// What the pane shows.
    public enum Source: Sendable, Hashable {
        /// The value of the key selected in the keys pane.
        case selectedKey
        /// Lines from a command result, with a title.
        case commandOutput(title: String, lines: [String])
    }

    public var source: Source = .selectedKey
    /// First line shown.
    public var scroll = 0
    /// Show the raw value instead of the decoded record (`r`).
    public var showRaw = false
    /// The raw alternative of the current command output (`CommandOutcome.rawDetail`), if any.
    public var commandRaw: [String]?
    /// `/` over the lines shown: only the lines that match (or, inverted, do not).
    public var filter = PaneFilter()

    public init() {}

    /// Shows a command's detail (and its raw alternative) from the top.
    public mutating func show(title: String, lines: [String], raw: [String]?) {
        source = .commandOutput(title: title, lines: lines)
        commandRaw = raw
        scroll = 0
    }

    /// What to draw: a title, the mode shown next to it (`decoded`/`raw`, nil when there is no
    /// choice), and the lines (still to be sanitized by the surface).
    public func content(selected: KeysPane.Entry?, now: Int64) -> (title: String, mode: String?, lines: [String]) {
        let all = unfilteredContent(selected: selected, now: now)
        guard !filter.isEmpty else { return all }
        return (all.title, all.mode, all.lines.filter { filter.matches([$0]) })
    }

    func unfilteredContent(selected: KeysPane.Entry?, now: Int64) -> (title: String, mode: String?, lines: [String]) {
        switch source {
        case .commandOutput(let title, let lines):
            guard let raw = commandRaw else { return (title, nil, lines) }
            return (title, showRaw ? "raw" : "decoded", showRaw ? raw : lines)
        case .selectedKey:
            guard let e = selected else { return ("no key selected", nil, []) }
            guard let value = e.value else { return (e.keyText, nil, ["(the value arrives with the next snapshot)"]) }
            guard !showRaw, let decoded = Self.decodedLines(value, now: now) else {
                return (e.keyText, e.glance == nil ? nil : "raw", RecordRendering.lines(for: value))
            }
            return (e.keyText, "decoded", decoded)
        }
    }

    /// A stored value decoded as a BitDust record; nil for bencode values that are not bytes.
    public static func decodedLines(_ value: BValue, now: Int64) -> [String]? {
        guard case .bytes(let bytes) = value else { return nil }
        return RecordDecoder.decode(bytes, now: now).lines(width: 100)
    }
}

/// A stored value decoded for the keys pane: type, owner, revision, timestamp and validity at a
/// glance. A value type; built once per value (decoding is pure), ages computed when drawn.
public struct RecordGlance: Sendable, Hashable {
    /// `suppliers`, `nickname`, `legacy address`, `unknown JSON`, `text`, `binary`.
    public var kind: String
    public var owner: String?
    public var revision: Int64?
    /// Unix seconds from the record's `timestamp` field.
    public var timestamp: Int64?
    /// The value claims (or is attributed to) a known record type.
    public var isRecord: Bool
    public var isValid: Bool
    /// `valid` or `INVALID: <the broken rule>`.
    public var validity: String

    /// Decodes a stored value; nil for bencode values that are not bytes.
    public init?(_ value: BValue) {
        guard case .bytes(let bytes) = value else { return nil }
        let view = RecordDecoder.decode(bytes, now: 0)
        kind = Sanitizer.clean(view.kind)
        owner = view.owner.map(Sanitizer.clean)
        revision = view.revision
        timestamp = view.timestamp
        isRecord = view.type != nil
        isValid = view.isValid
        validity = Sanitizer.clean(view.validityText)
    }

    /// `ok`, `BAD`, or `-` when the value is not a known record type.
    public var validityMark: String { !isRecord ? "-" : (isValid ? "ok" : "BAD") }

    /// Age of the record's own timestamp (`3m`), or `-`.
    public func freshness(now: Int64) -> String {
        guard let timestamp else { return "-" }
        let d = Format.seconds(from: timestamp, to: now)
        return d < 0 ? "future" : Format.age(seconds: d)
    }
}
