/// dhtop's version: the one constant behind `dhtop --version` (every command), the `version` of
/// `dhtop status` (text and JSON) and the control socket's `welcome`. Pure; thread-safe.
public enum DHTopVersion {
    /// The release, as `MAJOR.MINOR.PATCH`.
    public static let number = "0.1.0"
    /// What `--version` prints.
    public static var text: String { "dhtop \(number)" }
}
