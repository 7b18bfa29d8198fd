/// How a pane's `/` filter reads: a case-insensitive substring, shown or hidden (`!` inverts:
/// rows that do NOT contain it). Typed as `!text` it starts inverted (k9s's `/!`). Pure; a
/// value type.
public struct PaneFilter: Sendable, Hashable {
    /// The substring, as typed (without the leading `!`).
    public var text: String
    /// Show only the rows that do not contain `text`.
    public var inverted: Bool

    public init(text: String = "", inverted: Bool = false) {
        self.text = text
        self.inverted = inverted
    }

    /// Reads what was typed at the filter prompt: a leading `!` inverts.
    public init(typed: String) {
        if typed.hasPrefix("!") {
            self.init(text: String(typed.dropFirst()), inverted: true)
        } else {
            self.init(text: typed)
        }
    }

    /// No filter: every row shows, inverted or not.
    public var isEmpty: Bool { text.isEmpty }

    /// As the filter prompt and the pane title show it: `text` or `!text`.
    public var typed: String { (inverted ? "!" : "") + text }

    /// Whether a row whose searchable fields are `fields` is shown.
    public func matches(_ fields: [String]) -> Bool {
        guard !text.isEmpty else { return true }
        let needle = text.lowercased()
        return fields.contains { $0.lowercased().contains(needle) } != inverted
    }
}

/// Sort order of a table pane: one of its columns, ascending or descending. Pure; a value type.
public struct TableSort<Column: CaseIterable & Hashable & Sendable & RawRepresentable>: Sendable, Hashable
where Column.RawValue == String {
    public var column: Column
    /// Reverse of the column's natural order (the order it shows first).
    public var reversed: Bool

    public init(_ column: Column, reversed: Bool = false) {
        self.column = column
        self.reversed = reversed
    }

    /// The next column, natural direction (`s`).
    public mutating func cycle() {
        let all = Array(Column.allCases)
        let i = all.firstIndex(of: column) ?? 0
        column = all[(i + 1) % all.count]
        reversed = false
    }

    /// As pane titles show it: `rtt`, or `rtt rev` when reversed.
    public var label: String { column.rawValue + (reversed ? " rev" : "") }

    /// Orders `a` before `b` by `natural` (the column's natural order), reversed when asked.
    public func before<T>(_ a: T, _ b: T, natural: (T, T) -> Bool) -> Bool {
        reversed ? natural(b, a) : natural(a, b)
    }
}
