/// What a bracketed paste puts into the one-line prompt: a trailing newline is dropped, the
/// other newlines and tabs become spaces (a multi-line JSON value stays valid JSON, and nothing
/// pasted ever runs a command), and other control characters are dropped. Pure; thread-safe.
public enum PastedText {
    /// The paste as one line, and how many lines it had.
    public static func line(_ text: String) -> (line: String, lines: Int) {
        var body = Substring(text)
        while body.last == "\n" { body = body.dropLast() }
        var out = ""
        var lines = 1
        for scalar in body.unicodeScalars {
            switch scalar.value {
            case 0x0a:
                lines += 1
                out.unicodeScalars.append(" ")
            case 0x09: out.unicodeScalars.append(" ")
            case 0x00..<0x20, 0x7f, 0x80..<0xa0: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return (out, lines)
    }
}
