import ArgumentParser
import FoundationEssentials
import Logging
import NodeAPI
#if canImport(Glibc)
    import Glibc
#endif

/// The `dhtop` root command: a BitDust-compatible DHT node and one-shot DHT tools.
///
/// Contract: exit status 0 on success, 1 when an operation failed or found nothing, 2 for a usage
/// error; every failure prints one line starting with `dhtop:` on stderr.
struct DHTop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dhtop",
        abstract: "A BitDust-compatible Kademlia DHT node and its tools.",
        discussion: ConsoleMode.rootHelpSection + "\n\n`dhtop node` runs a headless node.",
        version: DHTopVersion.text,
        subcommands: [
            ConsoleMode.self, NodeCommand.self, GetCommand.self, SetCommand.self, KeyCommand.self, PingCommand.self,
            FindCommand.self, DiscoverCommand.self, WatchCommand.self, CrawlCommand.self, StatusCommand.self, AttachCommand.self, BenchCommand.self
        ],
        defaultSubcommand: ConsoleMode.self
    )

    /// Exit status of a failed operation (not found, no answer, refused).
    static let failureStatus: Int32 = 1
    /// Exit status of bad command-line input.
    static let usageStatus: Int32 = 2

    /// Parses `CommandLine.arguments`, runs the command, and exits with dhtop's status codes
    /// (ArgumentParser's own usage status, 64, becomes 2).
    static func runAndExit(_ arguments: [String]? = nil) async -> Never {
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            Glibc.exit(0)
        } catch {
            Glibc.exit(report(error))
        }
    }

    /// Sends swift-log output to stderr (never stdout, which carries results) at `level`.
    /// Call once per process, before the first logger is made.
    static func bootstrapLogging(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Prints what `error` means for the operator and returns the exit status to use.
    static func report(_ error: Error) -> Int32 {
        if let code = error as? ExitCode { return code.rawValue }
        let code = exitCode(for: error)
        if code == .success {
            // --help and --version: ArgumentParser's text goes to stdout.
            print(fullMessage(for: error))
            return 0
        }
        let text = message(for: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "\(error)"
        Output.fail(text)
        return code == .validationFailure ? usageStatus : failureStatus
    }
}
