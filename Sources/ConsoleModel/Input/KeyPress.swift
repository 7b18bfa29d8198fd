/// One key as the console understands it, decoded from the terminal by the TUI layer.
/// A value type; thread-safe.
public enum KeyPress: Sendable, Hashable {
    /// A printable character.
    case char(Character)
    /// Ctrl plus a letter (`ctrl("a")`); Ctrl-C arrives as `ctrl("c")`.
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// A key the console has no use for (function keys, mouse).
    case other(Int32)
}
