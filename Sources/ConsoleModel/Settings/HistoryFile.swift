/// The prompt history kept across sessions: one line per command, oldest first, in
/// `XDGDirectories.history` (mode 0600). Bounded: the last `limit` lines, each at most
/// `lineLimit` bytes (longer lines stay in the session's history but are not saved), so the file
/// stays under 1 MiB. Two consoles at once each append to what the file holds when they save.
///
/// A value type; `load` and `append` do blocking file I/O: call them on the UI thread at start-up
/// and after a command is submitted.
public struct HistoryFile: Sendable, Hashable {
    public var path: String
    public static let limit = 500
    public static let lineLimit = 2000

    public init(path: String) { self.path = path }

    /// The saved lines, oldest first (none when the file is missing or unreadable).
    public func load() -> [String] {
        guard let text = FileText.read(path) else { return [] }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        return Array(lines.filter { $0.utf8.count <= Self.lineLimit }.suffix(Self.limit))
    }

    /// Saves `line` after the lines already in the file.
    public func append(_ line: String) throws(PrivateFile.Failure) {
        guard line.utf8.count <= Self.lineLimit, !line.contains("\n") else { return }
        var lines = load()
        if lines.last != line { lines.append(line) }
        try PrivateFile.store(lines.suffix(Self.limit).joined(separator: "\n") + "\n", at: path)
    }
}
