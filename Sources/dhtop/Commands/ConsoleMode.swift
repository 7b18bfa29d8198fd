import ArgumentParser
import ConsoleModel
import ConsoleTUI
import DemoConsole
import DHTRuntime
import DHTWire
import Foundation
import LocalNode
import Logging
import NodeConsole
#if canImport(Glibc)
import Glibc
#endif

/// `dhtop` (no subcommand) or `dhtop console`: the full-screen console over an embedded node
/// started exactly as `dhtop node` starts it, plus console flags.
///
/// Contract: needs a terminal on stdin and stdout (else one line and exit 2). The console runs
/// on the main thread; logs go to `--log-file`, never to the terminal. On `q`, SIGINT, SIGTERM
/// or SIGHUP the terminal is restored and the node stopped cleanly (contacts saved, storage
/// flushed) before exit 0.
struct ConsoleMode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The full-screen console with an embedded node (the default).",
        discussion: "Takes every `dhtop node` flag. Logs go to --log-file (default <data-dir>/dhtop.log)."
    )

    @OptionGroup var node: NodeRunOptions

    @Option(help: ArgumentHelp("A theme name from themes/, or the path of a theme .toml file.", valueName: "name|path"))
    var theme = "dark"

    @Flag(name: .customLong("no-color"), help: "Monochrome (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .customLong("read-only"), help: "Refuse set and delete at the prompt.")
    var readOnly = false

    @Option(help: "Most redraws per second for node activity (keys redraw at once).")
    var fps = 4

    @Option(help: ArgumentHelp("Start N nodes on 127.0.0.1 in this process, with some traffic, and join them.", valueName: "n"))
    var sandbox: Int?

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Where logs go (default <data-dir>/dhtop.log).", valueName: "path"))
    var logFile: String?

    @Flag(help: "A self-contained demo with a synthetic node (no network).")
    var demo = false

    func validate() throws {
        guard (1...60).contains(fps) else { throw ValidationError("--fps must be between 1 and 60") }
        if let sandbox, !(1...64).contains(sandbox) { throw ValidationError("--sandbox must be between 1 and 64") }
        if sandbox == nil && !demo { try node.requireDataDirectory() }
    }

    func run() async throws {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            Output.fail("the console needs a terminal (stdin and stdout must be a TTY); use `dhtop node` to run without one")
            throw ExitCode(DHTop.usageStatus)
        }
        let appOptions = ConsoleThemes.appOptions(theme: theme, noColor: noColor, fps: fps)
        if demo {
            let readOnly = self.readOnly
            let reason = await MainActor.run { ConsoleDemo.run(options: appOptions, readOnly: readOnly) }
            try Self.finish(reason)
            return
        }
        let logFile = LogFile()
        logFile.bootstrap(level: node.logLevel)
        let running = try await startNode(log: logFile)
        let inbox = ConsoleInbox()
        let session = ConsoleSession(node: running.node, sink: { inbox.push($0) })
        session.start()
        let joining = Task { await session.join() }
        let backend = LocalNodeBackend(node: running.node)
        let state = ConsoleState(options: .init(readOnly: readOnly))
        let reason = await MainActor.run {
            ConsoleApp(options: appOptions).run(initial: state, inbox: inbox, backend: backend)
        }
        joining.cancel()
        session.stop()
        running.sandbox?.stop()
        running.node.stop()
        Logger(label: "dhtop.console").info("stopped: \(reason)")
        logFile.close()
        try Self.finish(reason)
    }

    /// A started node (not yet joined) and the sandbox it joins, if any.
    struct Running {
        var node: DHTNode
        var sandbox: Sandbox?
    }

    /// Starts the sandbox (if asked), then the node as `dhtop node` would, with the sandbox's
    /// defaults: 127.0.0.1, a random port and a temporary data directory unless given.
    func startNode(log: LogFile) async throws -> Running {
        var box: Sandbox?
        var seeds: [Endpoint] = []
        if let sandbox {
            do {
                box = try await Sandbox.start(count: sandbox, logger: Logger(label: "dhtop.sandbox"))
            } catch {
                Output.fail("cannot start the sandbox: \(error)")
                throw ExitCode(DHTop.failureStatus)
            }
            box?.startTraffic()
            seeds = box?.endpoints ?? []
            if !node.seedOptions.seeds.isEmpty { seeds += node.resolveSeeds().filter { !seeds.contains($0) } }
        } else {
            seeds = node.resolveSeeds()
        }
        var options = node.nodeOptions(seeds: seeds)
        if box != nil {
            if node.host == nil { options.host = "127.0.0.1" }
            if node.port == nil { options.port = 0 }
            if node.dataDirectory == nil { options.dataDirectory = try Self.temporaryDirectory() }
        }
        let started: DHTNode
        do {
            started = try node.openNode(options, logger: Logger(label: "dhtop.node"))
        } catch {
            box?.stop()
            throw error
        }
        let logPath = logFile ?? (options.dataDirectory.map { $0 + "/dhtop.log" })
        if let logPath, let problem = log.open(logPath) {
            started.stop()
            box?.stop()
            Output.fail(problem)
            throw ExitCode(DHTop.failureStatus)
        }
        started.start()
        Logger(label: "dhtop.console").info(
            "listening on UDP \(options.host):\(started.port), data in \(options.dataDirectory ?? "-"), \(seeds.count) seeds")
        return Running(node: started, sandbox: box)
    }

    /// A fresh directory for a sandbox run's node data and log.
    static func temporaryDirectory() throws -> String {
        var base = NSTemporaryDirectory()
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        var template = Array((base + "/dhtop-sandbox-XXXXXX").utf8CString)
        guard let path = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            Output.fail("cannot create a temporary data directory: \(String(cString: strerror(errno)))")
            throw ExitCode(DHTop.failureStatus)
        }
        return String(cString: path)
    }

    /// Turns why the console returned into the process's outcome.
    static func finish(_ reason: ConsoleApp.ExitReason) throws {
        if reason == .noTerminal {
            Output.fail("cannot use this terminal (is TERM set?); use `dhtop node` to run without one")
            throw ExitCode(DHTop.usageStatus)
        }
    }
}
