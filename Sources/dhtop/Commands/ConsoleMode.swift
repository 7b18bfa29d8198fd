import ArgumentParser
import ConsoleModel
import ConsoleTUI
import DHTControl
import DemoConsole
import DHTRuntime
import DHTWire
import FoundationEssentials
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
/// on the main thread; logs go to `--log-file`, never to the terminal. The embedded node opens a
/// control socket as `dhtop node` does (unless `--no-control-socket`), so `dhtop status` and
/// `dhtop attach` work while the console runs. On `q`, SIGINT, SIGTERM or SIGHUP the terminal is
/// restored and the node stopped cleanly (contacts saved, storage flushed) before exit 0; a
/// `--sandbox` run without `--data-dir` then removes its private data directory.
struct ConsoleMode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The full-screen console with an embedded node (the default).",
        discussion: """
            Takes every `dhtop node` flag. Logs go to --log-file (default <data-dir>/dhtop.log). With --sandbox and \
            no --data-dir, every run starts from a fresh private data directory, removed when the console exits.

            In the console, F1 (or ?) shows every key, prompt command and column; the bar above the bottom line \
            lists the keys that work now (F3 search, F6 sort, F10 quit; the mouse clicks and scrolls). It needs a \
            terminal of at least 60x20 that can address the cursor: TERM=dumb is refused (exit status 2).
            """
    )

    /// The console's own options, for the root command's help (`dhtop --help`), which runs the
    /// console when no subcommand is given. `CLIHelpTests` checks that it names every option.
    static let rootHelpSection = """
        Without a subcommand, dhtop runs the console (`dhtop console`). Its options:
          --sandbox <n>            N nodes on 127.0.0.1 in this process, with traffic
                                   (a fresh private data directory unless --data-dir)
          --theme <name|path>      dark, light, high-contrast or a .toml file
          --no-color               monochrome (also when NO_COLOR is set)
          --read-only              refuse set and delete at the prompt
          --fps <fps>              most redraws per second, 1-60 (default: 4)
          --log-file <path>        where logs go (default: <data-dir>/dhtop.log)
          --control-socket <path>  the node's socket for dhtop status and attach
          --no-control-socket      do not open one
          --demo                   a demo with a synthetic node (no network)
        and every `dhtop node` option (--port, --host, --seed, --data-dir, ...):
        see dhtop console --help.
        """

    @OptionGroup var node: NodeRunOptions

    @Option(
        help: ArgumentHelp(
            "A theme: dark (default), light, high-contrast (built in), a NAME.toml in $XDG_CONFIG_HOME/dhtop/themes, or the path of a .toml file.",
            valueName: "name|path"))
    var theme: String?

    @Flag(name: .customLong("no-color"), help: "Monochrome (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .customLong("read-only"), help: "Refuse set and delete at the prompt.")
    var readOnly = false

    @Option(parsing: .unconditional, help: "Most redraws per second for node activity, 1-60 (keys redraw at once; default 4).")
    var fps: Int?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Start N nodes (1-64) on 127.0.0.1 in this process, with some traffic, and join them; a fresh private data directory each run unless --data-dir is given.",
            valueName: "n"))
    var sandbox: Int?

    @OptionGroup var control: NodeControlSocketOptions

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Where logs go (default <data-dir>/dhtop.log).", valueName: "path"))
    var logFile: String?

    @Flag(help: "A self-contained demo with a synthetic node (no network).")
    var demo = false

    func validate() throws {
        if let fps { try NumberCheck.check(fps, "--fps", 1...60) }
        if let sandbox { try NumberCheck.check(sandbox, "--sandbox", 1...64) }
        if sandbox == nil && !demo { try node.requireDataDirectory() }
    }

    func run() async throws {
        // Flags win over the preferences file; a bad file is a usage error, terminal or not.
        let prefs = try ConsolePreferences.load()
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else {
            Output.fail("the console needs a terminal (stdin and stdout must be a TTY); use `dhtop node` to run without one")
            throw ExitCode(DHTop.usageStatus)
        }
        let appOptions = ConsoleThemes.appOptions(theme: theme ?? prefs.theme ?? "dark", noColor: noColor, fps: fps ?? prefs.fps ?? 4)
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
        let service = startControlSocket(running, inbox: inbox)
        let session = ConsoleSession(node: running.node, sink: { inbox.push($0) })
        session.start()
        let joining = Task { await session.join() }
        let backend = LocalNodeBackend(node: running.node)
        var state = ConsoleState(options: .init(readOnly: readOnly, columns: prefs.columns))
        state.layer = prefs.layer ?? 0
        let reason = await MainActor.run {
            ConsoleApp(options: appOptions).run(initial: state, inbox: inbox, backend: backend)
        }
        joining.cancel()
        session.stop()
        service?.stop()
        running.sandbox?.stop()
        running.node.stop()
        running.privateDirectory?.remove()
        Logger(label: "dhtop.console").info("stopped: \(reason)")
        logFile.close()
        try Self.finish(reason)
    }

    /// A started node (not yet joined), the sandbox it joins and the sandbox run's private data
    /// directory (removed at exit), if any.
    struct Running {
        var node: DHTNode
        var sandbox: Sandbox?
        var privateDirectory: SandboxDirectory?
    }

    /// Opens the embedded node's control socket, as `dhtop node` does; a failure is told in the
    /// console (the console runs on without one).
    func startControlSocket(_ running: Running, inbox: ConsoleInbox) -> NodeService? {
        let node = running.node
        guard let path = control.path(for: node) else { return nil }
        let logger = Logger(label: "dhtop.control")
        switch Result(catching: { () throws(ControlError) in
            try NodeService.start(node: node, options: .init(controlSocket: path, metricsPort: nil), logger: logger)
        }) {
        case .success(let service):
            return service
        case .failure(let error):
            logger.warning("no control socket: \(error.message)")
            inbox.push(.commandResult(.failure("no control socket (dhtop status and attach will not find this node): \(error.message)")))
            return nil
        }
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
        }
        var privateDirectory: SandboxDirectory?
        if box != nil, node.dataDirectory == nil {
            do {
                privateDirectory = try SandboxDirectory.create()
            } catch {
                box?.stop()
                Output.fail("\(error)")
                throw ExitCode(DHTop.failureStatus)
            }
            options.dataDirectory = privateDirectory?.path
        }
        let started: DHTNode
        do {
            started = try node.openNode(options, logger: Logger(label: "dhtop.node"))
        } catch {
            box?.stop()
            privateDirectory?.remove()
            throw error
        }
        let logPath = logFile ?? (options.dataDirectory.map { $0 + "/dhtop.log" })
        if let logPath, let problem = log.open(logPath) {
            started.stop()
            box?.stop()
            privateDirectory?.remove()
            Output.fail(problem)
            throw ExitCode(DHTop.failureStatus)
        }
        started.start()
        Logger(label: "dhtop.console").info(
            "listening on UDP \(options.host):\(started.port), data in \(options.dataDirectory ?? "-"), \(seeds.count) seeds")
        return Running(node: started, sandbox: box, privateDirectory: privateDirectory)
    }

    /// Turns why the console returned into the process's outcome.
    static func finish(_ reason: ConsoleApp.ExitReason) throws {
        if reason == .noTerminal {
            Output.fail("cannot use this terminal: \(ConsoleApp.terminalProblem()); use `dhtop node` to run without one")
            throw ExitCode(DHTop.usageStatus)
        }
    }
}
