import ConsoleModel
import ConsoleTUI

/// The console options for `--theme`, `--no-color` and `--fps`: a `--theme` that is a path to a
/// `.toml` file is loaded from there; a name is a user theme in `$XDG_CONFIG_HOME/dhtop/themes`
/// or one built into the binary (`ThemeLibrary`). Pure; call at start-up.
enum ConsoleThemes {
    static func appOptions(theme: String, noColor: Bool, fps: Int) -> ConsoleApp.Options {
        var directory: String?
        var name = theme
        if theme.contains("/") || theme.hasSuffix(".toml") {
            let slash = theme.lastIndex(of: "/")
            directory = slash.map { String(theme[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
            let file = slash.map { String(theme[theme.index(after: $0)...]) } ?? theme
            name = file.hasSuffix(".toml") ? String(file.dropLast(5)) : file
        }
        return ConsoleApp.Options(themesDirectory: directory, themeName: name, noColor: noColor, maxFramesPerSecond: fps)
    }
}
