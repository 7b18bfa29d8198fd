/// The Record pane: the selected key's value pretty-printed, or the detail of the last command
/// (a found value, the closest nodes). A value type owned by `ConsoleState`.
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

    public init() {}
}
