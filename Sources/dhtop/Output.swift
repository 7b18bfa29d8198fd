import BitDustRecords
#if canImport(Glibc)
    import Glibc
#endif

/// Where dhtop writes: results on stdout, one-line reasons and notes on stderr.
/// Stateless; thread-safe (each call is one unbuffered write of whole lines).
enum Output {
    /// One line on stdout, flushed at once (scripts and tests read it as it comes).
    /// When stdout is a terminal, every line is made safe as the console makes network text
    /// safe (`Sanitizer`): a value's escape sequences are shown, never obeyed.
    static func line(_ text: String) {
        write(terminalSafe(text, fd: STDOUT_FILENO) + "\n", to: STDOUT_FILENO)
    }

    /// The one-line reason for a failure: `dhtop: <text>` on stderr (escaped on a terminal).
    static func fail(_ text: String) {
        write("dhtop: \(terminalSafe(text, fd: STDERR_FILENO))\n", to: STDERR_FILENO)
    }

    /// A warning or note that does not change the outcome, on stderr (escaped on a terminal).
    static func note(_ text: String) {
        write("dhtop: \(terminalSafe(text, fd: STDERR_FILENO))\n", to: STDERR_FILENO)
    }

    /// `text` unchanged when `fd` is not a terminal (pipes and files get the bytes as they are);
    /// on a terminal each line is escaped by `Sanitizer.clean`, keeping the line breaks.
    static func terminalSafe(_ text: String, fd: Int32) -> String {
        guard isatty(fd) != 0 else { return text }
        return terminalSafe(text)
    }

    /// Each line of `text` escaped by `Sanitizer.clean`; the line breaks themselves are kept.
    static func terminalSafe(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { Sanitizer.clean(String($0)) }.joined(separator: "\n")
    }

    /// Writes all of `text` to a file descriptor, unbuffered (retrying short writes).
    static func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
