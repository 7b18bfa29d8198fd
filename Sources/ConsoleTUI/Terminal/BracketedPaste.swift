#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CNCursesw

/// The terminal's bracketed paste mode (xterm's private mode 2004): while on, the terminal wraps
/// pasted text in `ESC [200~ … ESC [201~`, which `defineKeys` teaches ncurses to report as
/// `InputDecoder.pasteStart` / `pasteEnd`. Terminals without it ignore the mode and paste as
/// typing. The crash handler (`nc_install_crash_restore`) turns the mode off too.
///
/// Contract: call on the thread that owns the curses screen, between `newterm` and `endwin`.
enum BracketedPaste {
    /// Teaches ncurses the paste markers and turns the mode on.
    static func enable() {
        _ = define_key("\u{1b}[200~", InputDecoder.pasteStart)
        _ = define_key("\u{1b}[201~", InputDecoder.pasteEnd)
        send("\u{1b}[?2004h")
    }

    /// Turns the mode off (before `endwin`).
    static func disable() { send("\u{1b}[?2004l") }

    /// Flushes what ncurses buffered in `stdout` first, so the order is kept.
    private static func send(_ sequence: String) {
        fflush(nil)
        _ = sequence.withCString { write(STDOUT_FILENO, $0, strlen($0)) }
    }
}
