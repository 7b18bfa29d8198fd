/// Finds and loads themes by name: first `NAME.toml` in the user's directories, searched in
/// order (the directory of `--theme PATH`, then `$XDG_CONFIG_HOME/dhtop/themes`), then the
/// themes built into the binary from the repository's `themes/` (`EmbeddedThemes`), so an
/// installed copy anywhere has `dark`, `light` and `high-contrast`. Reads files with POSIX calls;
/// call on the UI thread at start-up or on `theme NAME`.
public struct ThemeLibrary: Sendable {
    /// Directories holding the user's `NAME.toml` files, searched first.
    public var directories: [String]

    public init(directories: [String]) { self.directories = directories }

    /// One user directory (or none).
    public init(directory: String?) { self.init(directories: directory.map { [$0] } ?? []) }

    /// The themes built into the binary, by name.
    public static var builtInNames: [String] {
        Array(Set(EmbeddedThemes.files.keys).union([Theme.builtInDark.name])).sorted()
    }

    /// Theme names available: the built-in ones plus every `*.toml` in the directories.
    public func names() -> [String] {
        var out = Set(Self.builtInNames)
        for d in directories {
            for f in FileText.list(d) where f.hasSuffix(".toml") { out.insert(String(f.dropLast(5))) }
        }
        return out.sorted()
    }

    /// Loads theme `name`: a user file when there is one (its errors name the file's path), else
    /// the built-in theme of that name.
    public func load(_ name: String) throws(ThemeParser.Failure) -> Theme {
        let safe = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        guard safe else { throw ThemeParser.Failure(file: name, line: nil, key: "", message: "not a theme name") }
        for d in directories {
            let path = d + "/" + name + ".toml"
            if let text = FileText.read(path) { return try ThemeParser.parse(text, file: path, fallbackName: name) }
        }
        if let text = EmbeddedThemes.files[name] {
            return try ThemeParser.parse(text, file: "built-in " + name + ".toml", fallbackName: name)
        }
        if name == Theme.builtInDark.name { return Theme.builtInDark }
        throw ThemeParser.Failure(
            file: name + ".toml", line: nil, key: "",
            message: "no such theme (have: \(names().joined(separator: ", ")))")
    }
}
