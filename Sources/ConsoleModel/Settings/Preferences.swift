/// The console's preferences file, `$XDG_CONFIG_HOME/dhtop/config.toml`: the theme, the frame
/// rate, the layer shown first and the columns of the tables. Every key is optional; a flag on
/// the command line wins over the file. A bad value is an error naming the file, the line, the
/// key and what is allowed:
///
/// ```toml
/// theme = "light"          # a built-in theme, a file in …/dhtop/themes, or a path
/// fps = 8                  # 1-60
/// layer = 2                # 0-9
/// [columns]                # per table, the columns to show (in `Preferences.knownColumns`)
/// keys = ["key", "type", "owner", "rev", "expires"]
/// ```
///
/// A value type; `parse` is pure, `load` reads the file with POSIX calls (start-up only).
public struct Preferences: Sendable, Hashable {
    public var theme: String?
    public var fps: Int?
    public var layer: Int?
    /// For each table named in `[columns]`, the columns to show, in the file's order.
    public var columns: [String: [String]] = [:]

    public init(theme: String? = nil, fps: Int? = nil, layer: Int? = nil, columns: [String: [String]] = [:]) {
        self.theme = theme
        self.fps = fps
        self.layer = layer
        self.columns = columns
    }

    /// The tables whose columns `[columns]` may choose, and their column names (a column's
    /// header title, or its first word: `owner` for "owner / bitdust key").
    public static let knownColumns: [String: [String]] = [
        "buckets": ["#", "prefix", "pfx", "range", "fill", "n/k", "rc", "oldest", "chg"],
        "contacts": ["id", "address", "rtt", "seen", "reply", "fail", "health"],
        "inflight": ["kind", "call", "peer", "status", "time", "detail"],
        "keys": ["key", "type", "owner", "rev", "ok", "fresh", "size", "pub", "age", "expires"]
    ]

    /// Whether the table's column with these header `titles` is shown: every column when the
    /// file names none for `table`, else the ones it names (by a title or a title's first word).
    public func showsColumn(_ table: String, titles: [String]) -> Bool {
        guard let chosen = columns[table] else { return true }
        return titles.contains { title in
            chosen.contains(title) || chosen.contains(String(title.split(separator: " ").first ?? ""))
        }
    }

    static let fpsRange = 1...60
    static let layerRange = 0...9

    /// A preferences file that cannot be used; `description` is `file:line: key: what is wrong`.
    public typealias Failure = ThemeParser.Failure

    /// The preferences in `path`; none when there is no such file.
    public static func load(_ path: String) throws(Failure) -> Preferences {
        guard let text = FileText.read(path) else { return Preferences() }
        return try parse(text, file: path)
    }

    /// Parses the file's text, naming `file` in errors.
    public static func parse(_ text: String, file: String) throws(Failure) -> Preferences {
        let table: ThemeTOML.Table
        do throws(ThemeTOML.SyntaxError) {
            table = try ThemeTOML.parse(text)
        } catch {
            throw Failure(file: file, line: error.line, key: "", message: "TOML syntax: \(error.message)")
        }
        func fail(_ key: String, _ message: String) -> Failure {
            Failure(file: file, line: ThemeParser.line(of: key, in: text), key: key, message: message)
        }
        var prefs = Preferences()
        for key in table.keys.sorted() {
            let value = table[key]!
            switch key {
            case "theme":
                guard let s = value.string, !s.isEmpty else { throw fail(key, "must be a theme name or path in quotes, e.g. theme = \"light\"") }
                prefs.theme = s
            case "fps":
                guard let n = value.int, fpsRange.contains(n) else { throw fail(key, "must be a whole number 1-60, not \(shown(value))") }
                prefs.fps = n
            case "layer":
                guard let n = value.int, layerRange.contains(n) else { throw fail(key, "must be a layer number 0-9, not \(shown(value))") }
                prefs.layer = n
            case "columns":
                guard let t = value.table else { throw fail(key, "must be a table, e.g. [columns] then keys = [\"key\", \"type\"]") }
                for pane in t.keys.sorted() {
                    let k = "columns.\(pane)"
                    guard let known = knownColumns[pane] else {
                        throw fail(k, "unknown table (known: \(knownColumns.keys.sorted().joined(separator: ", ")))")
                    }
                    guard let list = t[pane]!.array, !list.isEmpty else { throw fail(k, "must be a non-empty list of column names") }
                    var names: [String] = []
                    for item in list {
                        guard let name = item.string, known.contains(name) else {
                            throw fail(k, "unknown column \(shown(item)) (known: \(known.joined(separator: ", ")))")
                        }
                        names.append(name)
                    }
                    prefs.columns[pane] = names
                }
            default:
                throw fail(key, "unknown setting (known: theme, fps, layer, columns)")
            }
        }
        return prefs
    }

    /// A value as the file wrote it, for error messages.
    static func shown(_ value: ThemeTOML.Value) -> String { value.shown }
}
