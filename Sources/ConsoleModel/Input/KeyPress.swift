/// One key as the console understands it, decoded from the terminal by the TUI layer.
/// A value type; thread-safe.
public enum KeyPress: Sendable, Hashable {
    /// A printable character.
    case char(Character)
    /// Ctrl plus a letter (`ctrl("a")`); Ctrl-C arrives as `ctrl("c")`.
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// A function key, F1 = 1 … F12 = 12.
    case function(Int)
    /// A mouse click on a pane: `item` is the row of the pane's list under the pointer (an
    /// index into what the pane lists), nil on its title or an empty row. The terminal layer
    /// finds both from the frame it drew.
    case click(PaneID, item: Int?)
    /// The mouse wheel over a pane: rows to move, negative up.
    case wheel(PaneID, Int)
    /// Alt plus a key, sent by terminals as Esc then the key (`alt("b")`); Alt-Backspace is
    /// `alt("\u{7f}")`.
    case alt(Character)
    /// Text pasted while the terminal's bracketed paste mode is on: it never acts as keys.
    /// Newlines are `\n`; invalid UTF-8 is already dropped.
    case paste(String)
    /// A key the console has no use for (function keys, mouse).
    case other(Int32)
}
