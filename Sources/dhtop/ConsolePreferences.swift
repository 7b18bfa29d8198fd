import ArgumentParser
import ConsoleModel

/// The console's preferences file (`$XDG_CONFIG_HOME/dhtop/config.toml`, see `Preferences`) for
/// `dhtop`, `dhtop console` and `dhtop attach`: a bad value is a usage error (exit 2) naming the
/// file, line and key, before the terminal is touched. Reads one file; call at start-up.
enum ConsolePreferences {
    static func load() throws -> Preferences {
        guard let path = XDGDirectories.fromProcess().preferences else { return Preferences() }
        do throws(Preferences.Failure) {
            return try Preferences.load(path)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
