/// The bottom line: the `:` command prompt or a `/` filter being typed, and the last message.
/// A value type owned by `ConsoleState` on the UI thread.
public struct PromptState: Sendable, Hashable {
    /// What the bottom line is doing.
    public enum Mode: Sendable, Hashable {
        /// Showing the status/message line; keys go to the panes.
        case idle
        /// Typing a `:` command.
        case command
        /// Typing a `/` filter for a pane; the filter applies as you type.
        case filter(PaneID)
    }

    /// How a message is colored.
    public enum Tone: Sendable, Hashable { case info, success, error }

    public var mode: Mode = .idle
    public var buffer = PromptBuffer()
    /// The last result or error, one line.
    public var message: String = "press : for commands, ? for help"
    public var tone: Tone = .info
    /// The command running on the node, if any, and its latest progress line.
    public var running: String?
    public var progress: String?
    /// Candidates shown after an ambiguous Tab.
    public var completions: [String] = []
    /// A start-up warning (a theme that did not load) shown before the message until a key is
    /// pressed, so it cannot be replaced before anyone reads it.
    public var warning: String?
    /// A note about the line being edited (a paste joined or refused), shown above it until the
    /// next key.
    public var notice: String?
    /// When true, `set` and `delete` are refused.
    public var readOnly = false

    public init() {}

    /// Whether keys go to the line editor.
    public var isEditing: Bool { mode != .idle }

    /// Shows `text` as a warning that stays until a key is pressed.
    public mutating func warn(_ text: String) {
        warning = Sanitizer.clean(text)
    }

    /// Shows a one-line message.
    public mutating func say(_ text: String, _ tone: Tone) {
        message = Sanitizer.clean(text)
        self.tone = tone
    }
}
