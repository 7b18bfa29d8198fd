/// One key as the console understands it, decoded from the terminal by the TUI layer.
/// A value type; thread-safe.
public enum KeyPress: Sendable, Hashable {
    /// A printable character.
    case char(Character)
    /// Ctrl plus a letter (`ctrl("a")`); Ctrl-C arrives as `ctrl("c")`.
    case ctrl(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    /// Alt plus a key, sent by terminals as Esc then the key (`alt("b")`); Alt-Backspace is
    /// `alt("\u{7f}")`.
    case alt(Character)
    /// Text pasted while the terminal's bracketed paste mode is on: it never acts as keys.
    /// Newlines are `\n`; invalid UTF-8 is already dropped.
    case paste(String)
    /// A key the console has no use for (function keys, mouse).
    case other(Int32)
}
