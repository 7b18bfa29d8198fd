import ConsoleTUI
import FoundationEssentials

/// Finds the theme files for `--theme`: a path to a `.toml` file is used as given; a name is
/// looked up in `PREFIX/share/dhtop/themes` when installed, in `themes/` next to the executable's
/// package (walking up from the executable) or in the working directory, else the compiled-in default is used.
/// Stateless; reads the file system; call at start-up.
enum ConsoleThemes {
    /// The console options for the `--theme`, `--no-color` and `--fps` flags.
    static func appOptions(theme: String, noColor: Bool, fps: Int) -> ConsoleApp.Options {
        var directory = themesDirectory()
        var name = theme
        if theme.contains("/") || theme.hasSuffix(".toml") {
            let url = URL(fileURLWithPath: theme)
            directory = url.deletingLastPathComponent().path
            name = url.deletingPathExtension().lastPathComponent
        }
        return ConsoleApp.Options(themesDirectory: directory, themeName: name, noColor: noColor, maxFramesPerSecond: fps)
    }

    /// The first `themes/` directory holding a `.toml` file, or nil.
    static func themesDirectory() -> String? {
        var candidates: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
            // Installed (scripts/install, the Debian package): PREFIX/bin/dhtop, PREFIX/share/dhtop/themes.
            candidates.append(dir.deletingLastPathComponent().appendingPathComponent("share/dhtop/themes"))
            for _ in 0..<5 {
                candidates.append(dir.appendingPathComponent("themes"))
                dir = dir.deletingLastPathComponent()
            }
        }
        candidates.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"))
        for dir in candidates {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            if files.contains(where: { $0.hasSuffix(".toml") }) { return dir.path }
        }
        return nil
    }
}
