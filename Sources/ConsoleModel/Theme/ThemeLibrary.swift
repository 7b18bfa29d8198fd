/// Finds and loads theme files from a directory (`themes/` next to the executable or given by
/// the user), falling back to the compiled-in theme. Reads files with POSIX calls; call on the
/// UI thread at start-up or on `theme NAME`.
public struct ThemeLibrary: Sendable {
    /// The directory holding `NAME.toml` files.
    public var directory: String?

    public init(directory: String?) { self.directory = directory }

    /// Theme names available: the built-in `dark` plus every `*.toml` in the directory.
    public func names() -> [String] {
        var out: Set<String> = [Theme.builtInDark.name]
        if let d = directory {
            for f in FileText.list(d) where f.hasSuffix(".toml") { out.insert(String(f.dropLast(5))) }
        }
        return out.sorted()
    }

    /// Loads theme `name`; the built-in dark theme when there is no such file and the name is
    /// `dark`.
    public func load(_ name: String) throws(ThemeParser.Failure) -> Theme {
        let safe = name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        guard safe else { throw ThemeParser.Failure(file: name, line: nil, key: "", message: "not a theme name") }
        if let d = directory, let text = FileText.read(d + "/" + name + ".toml") {
            return try ThemeParser.parse(text, file: name + ".toml", fallbackName: name)
        }
        if name == Theme.builtInDark.name { return Theme.builtInDark }
        throw ThemeParser.Failure(
            file: name + ".toml", line: nil, key: "",
            message: "no such theme (have: \(names().joined(separator: ", ")))")
    }
}
