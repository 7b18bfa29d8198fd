#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where dhtop keeps a user's own files, as the XDG Base Directory specification says:
/// `$XDG_CONFIG_HOME/dhtop` (else `~/.config/dhtop`) for the preferences and user themes,
/// `$XDG_STATE_HOME/dhtop` (else `~/.local/state/dhtop`) for the prompt history. A relative
/// `XDG_*` value is ignored, as the specification requires. Reads the environment only;
/// thread-safe.
public struct XDGDirectories: Sendable, Hashable {
    /// `…/dhtop` under the config base, or nil with neither `XDG_CONFIG_HOME` nor `HOME`.
    public var config: String?
    /// `…/dhtop` under the state base, or nil with neither `XDG_STATE_HOME` nor `HOME`.
    public var state: String?

    public init(config: String?, state: String?) {
        self.config = config
        self.state = state
    }

    /// From `environment` (a name to its value); `fromProcess()` reads the process's.
    public init(environment: (String) -> String?) {
        func base(_ name: String, _ fallback: String) -> String? {
            if let v = environment(name), v.hasPrefix("/") { return v }
            guard let home = environment("HOME"), home.hasPrefix("/") else { return nil }
            return home + "/" + fallback
        }
        config = base("XDG_CONFIG_HOME", ".config").map { $0 + "/dhtop" }
        state = base("XDG_STATE_HOME", ".local/state").map { $0 + "/dhtop" }
    }

    /// The directories for this process's environment.
    public static func fromProcess() -> XDGDirectories {
        XDGDirectories { name in getenv(name).map { String(cString: $0) } }
    }

    /// `config/themes`: the user's own theme files.
    public var themes: String? { config.map { $0 + "/themes" } }
    /// `config/config.toml`: the preferences.
    public var preferences: String? { config.map { $0 + "/config.toml" } }
    /// `state/history`: the prompt history.
    public var history: String? { state.map { $0 + "/history" } }
}
