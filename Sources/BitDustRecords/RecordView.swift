/// A decoded record, ready for display: what kind it is, whose it is, how new it is, whether it
/// obeys BitDust's rules (and which rule it breaks), labelled fields, and the raw value.
/// A value type; thread-safe. `age` is computed from the `now` passed to the decoder.
public struct RecordView: Hashable, Sendable {
    /// One labelled line for display; `value` is already escaped and safe for a terminal.
    public struct Field: Hashable, Sendable {
        public let label: String
        public let value: String
        public init(_ label: String, _ value: String) {
            self.label = label
            self.value = value
        }
    }

    /// The decoded type, nil when the value could not be attributed to any known type.
    public var type: RecordType?
    /// A short name for display (`suppliers`, `legacy address`, `unknown JSON`, `text`, `binary`).
    public var kind: String
    /// The IDURL (or customer, or nickname owner) the record belongs to, when known.
    public var owner: String?
    public var revision: Int64?
    /// Unix seconds from the record's `timestamp` field.
    public var timestamp: Int64?
    /// `now - timestamp` in seconds (negative when the timestamp is in the future).
    public var age: Int64?
    /// Broken rules; empty when valid. BitDust reports only the first.
    public var violations: [RuleViolation] = []
    /// Decoder remarks (legacy format, writer quirks, parse problems), not rule violations.
    public var notes: [String] = []
    public var fields: [Field] = []
    /// The parsed JSON, when the value is JSON.
    public var json: BitDustJSON?
    /// The value as received (lossless for UTF-8; invalid bytes replaced with U+FFFD).
    public var raw: String

    public var isValid: Bool { violations.isEmpty }

    /// `valid` or the violations joined by `; `.
    public var validityText: String {
        violations.isEmpty ? "valid" : "INVALID: " + violations.map(\.description).joined(separator: "; ")
    }

    /// Plain-text lines for the CLI: header, fields, validity, notes.
    public func lines(width: Int = 100) -> [String] {
        var out: [String] = []
        var head = kind
        if let owner { head += "  owner \(owner)" }
        if let revision { head += "  revision \(revision)" }
        if let timestamp { head += "  timestamp \(timestamp)" + (age.map { " (\(RecordView.formatAge($0)))" } ?? "") }
        out.append(head)
        let labelWidth = min(18, fields.map(\.label.count).max() ?? 0)
        for f in fields {
            let label = f.label + String(repeating: " ", count: max(0, labelWidth - f.label.count))
            out.append("  \(label)  \(f.value)")
        }
        out.append("  " + validityText)
        for n in notes { out.append("  note: \(n)") }
        return out
    }

    /// `42s ago`, `3m ago`, `5h 2m ago`, `2d 4h ago`, or `in 10m` for future times.
    public static func formatAge(_ seconds: Int64) -> String {
        let future = seconds < 0
        let s = seconds == Int64.min ? Int64.max : abs(seconds)
        let text: String
        switch s {
        case ..<60: text = "\(s)s"
        case ..<3600: text = "\(s / 60)m"
        case ..<86400: text = "\(s / 3600)h \(s % 3600 / 60)m"
        default: text = "\(s / 86400)d \(s % 86400 / 3600)h"
        }
        return future ? "in \(text)" : "\(text) ago"
    }
}
