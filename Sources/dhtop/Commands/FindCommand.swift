import ArgumentParser
import NodeAPI

/// `dhtop find ID|KEY`: an iterative findNode for the nodes closest to a node id (40 hex digits)
/// or to a hashed key string (`KeyArgument.findTarget`), run and printed as at the console's
/// prompt. Exit 0 when any node answered, 1 otherwise.
struct FindCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find the nodes closest to an id or a key."
    )

    @Argument(help: ArgumentHelp("A 40-hex-digit node id, or a key string (hashed as BitDust does).", valueName: "id-or-key"))
    var target: String

    @Flag(name: .customLong("raw-key"), help: "The target must be a 40-hex-digit id (never hashed).")
    var rawKey = false

    @OptionGroup var common: OneShotOptions

    func validate() throws { _ = try argument }

    /// The id looked up: 40 hex digits as they are, else the key's sha1.
    var argument: KeyArgument {
        get throws {
            do throws(KeyArgument.Invalid) { return try KeyArgument.findTarget(target, raw: rawKey) } catch {
                throw ValidationError(error.description)
            }
        }
    }

    func run() async throws {
        try await OneShot.run(NodeAPI.NodeCommand.find(try argument), options: common)
    }
}
