import BitDustRecords
import DHTCore
import DHTWire

/// One report of `watch`: the value when first found, or a change of it (a new value, a new
/// revision, gone). A value type; thread-safe.
public struct WatchChange: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        case found, changed, gone
    }
    public var kind: Kind
    /// The node's clock (Unix seconds) when the poll saw it.
    public var at: Int64
    /// The replica that gave it (none for `gone`).
    public var fromID: NodeID?
    public var from: Endpoint?
    /// BitDust's `revision` field when the value is a record that has one.
    public var revision: Int64?
    /// The value's text, cut to `ReachLimits.answerBytes` (nil for `gone`).
    public var value: String?
    /// Copies the poll collected.
    public var copies: Int

    public init(kind: Kind, at: Int64, fromID: NodeID?, from: Endpoint?, revision: Int64?, value: String?, copies: Int) {
        self.kind = kind
        self.at = at
        self.fromID = fromID
        self.from = from
        self.revision = revision
        self.value = value
        self.copies = copies
    }

    /// The `revision` of a BitDust JSON value, if it has one. Never traps.
    public static func revision(of value: BValue) -> Int64? {
        guard let json = RecordRendering.json(value), case .number(let n)? = json["revision"] else { return nil }
        return Int64(n)
    }

    /// `changed at 1764270000: revision 4 from 3f2a9c01 (127.0.0.1:14443), 3 copies: {…}`.
    public var line: String {
        var text = "\(kind.rawValue) at \(at)"
        if let revision { text += ": revision \(revision)" }
        if let fromID, let from { text += "\(revision == nil ? ":" : "") from \(fromID.shortHex(8)) (\(from))" }
        if kind != .gone { text += ", \(copies) cop\(copies == 1 ? "y" : "ies")" }
        if let value { text += ": " + Sanitizer.clean(value) }
        return text
    }

    /// `{"change", "at", "from_id", "from", "revision", "value", "copies"}`: one JSON line of
    /// `watch --json`.
    public var json: JSONValue {
        var f = JSONFields()
        f["change"] = .string(kind.rawValue)
        f["at"] = .int(at)
        f["from_id"] = fromID.map { .string($0.hex) } ?? .null
        f["from"] = from.map { .string($0.description) } ?? .null
        f["revision"] = revision.map(JSONValue.int) ?? .null
        f["value"] = value.map(JSONValue.string) ?? .null
        f["copies"] = .int(copies)
        return f.object
    }
}

/// What a watch saw. A value type; thread-safe.
public struct WatchReport: Sendable, Hashable {
    public var key: NodeID
    /// The last `ReachLimits.watchHistory` reports, oldest first.
    public var history: [WatchChange]
    /// Reports made in all (the history may have dropped the oldest).
    public var reports: Int
    public var polls: Int
    public var elapsed: Duration

    public init(key: NodeID, history: [WatchChange] = [], reports: Int = 0, polls: Int = 0, elapsed: Duration = .zero) {
        self.key = key
        self.history = history
        self.reports = reports
        self.polls = polls
        self.elapsed = elapsed
    }

    /// Keeps `change`, dropping the oldest past `ReachLimits.watchHistory`.
    public mutating func record(_ change: WatchChange) {
        reports += 1
        history.append(change)
        if history.count > ReachLimits.watchHistory { history.removeFirst(history.count - ReachLimits.watchHistory) }
    }
}

extension CommandOutcome {
    /// `watched 3f2a9c01…: 2 reports in 5 polls, 1m10s`, the history as detail lines.
    /// Succeeded when the value was seen at least once.
    public init(watched r: WatchReport, context: JSONFields = JSONFields()) {
        self.init(
            succeeded: r.history.contains { $0.kind != .gone },
            summary: "watched \(r.key.shortHex(12)): \(r.reports) report\(r.reports == 1 ? "" : "s") in \(r.polls) poll\(r.polls == 1 ? "" : "s"), "
                + Format.latency(r.elapsed),
            fields: context)
        detail = r.history.map(\.line)
        fields["reports"] = .int(r.reports)
        fields["polls"] = .int(r.polls)
        fields["elapsed_ms"] = .double(r.elapsed.milliseconds)
        fields["history"] = .array(r.history.map(\.json))
    }
}
