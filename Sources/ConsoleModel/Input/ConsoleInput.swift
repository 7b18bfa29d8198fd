import DHTCore
import DHTWire
import NodeAPI

/// Everything that can change a `ConsoleState`, applied by `ConsoleState.apply(_:)`.
/// A value type; produced on any thread, applied on the UI thread only.
public enum ConsoleInput: Sendable {
    /// Node events in the order they happened, received at `at`.
    case events([NodeEvent], at: Timestamp)
    /// A full picture of the node.
    case snapshot(NodeSnapshot)
    case key(KeyPress)
    /// The terminal's new size in columns and rows.
    case resize(width: Int, height: Int)
    /// Time passes (drives ages, rates and uptime); the console never reads a clock itself.
    case tick(Timestamp)
    /// A line of progress from a running command (e.g. a lookup round).
    case commandProgress(String)
    /// A command finished.
    case commandResult(CommandOutcome)
    /// `dhtop attach`: the control connection to the node with this pid is (again) up.
    case linkAttached(pid: Int32)
    /// `dhtop attach`: the node is out of reach for `reason`; the next attempt in `retryIn` seconds.
    case linkDetached(reason: String, retryIn: Double)
}

/// What the loop must do after an input: the model never calls the terminal or the node.
/// A value type.
public enum ConsoleIntent: Sendable, Hashable {
    /// Nothing visible changed.
    case none
    /// Draw again.
    case redraw
    /// Leave the console and restore the terminal.
    case quit
    /// Send a command to the node through the `NodeBackend`, on `layer`.
    case runCommand(NodeCommand, layer: Int)
    /// Load the theme with this name (the TUI owns theme files and colors).
    case switchTheme(String)
    /// Write the results log (this plain text) to a file and say where (the TUI owns files).
    case saveResultsLog(String)
}
