import NodeAPI

/// A command typed at the `:` prompt, already validated: a node command (run by the
/// `NodeBackend`) or one of the console's own. A value type; thread-safe.
public enum PromptCommand: Sendable, Hashable {
    /// Run by the node, exactly as the CLI and the control socket run it.
    case node(NodeCommand)
    /// Run by the node on the layer named in the command (`discover 3`), not the one shown.
    case nodeOn(NodeCommand, layer: Int)
    /// Show this layer in the panes.
    case layer(Int)
    /// Filter the focused pane.
    case filter(String)
    /// Switch theme (handled by the TUI).
    case theme(String)
    case help
    case quit

    /// Whether the command changes stored data (refused in read-only mode).
    public var writes: Bool {
        switch self {
        case .node(let command), .nodeOn(let command, _): return command.writes
        default: return false
        }
    }

    /// Every command word, for help and tab completion.
    public static let words = (NodeCommand.words + ["filter", "help", "layer", "quit", "theme"]).sorted()

    /// One usage line per command.
    public static let usage: [String] =
        NodeCommand.usage + [
            "layer N                  show layer N",
            "filter TEXT              filter the focused pane (empty clears)",
            "theme NAME               switch color theme",
            "help                     this list",
            "quit                     leave dhtop"
        ]
}
