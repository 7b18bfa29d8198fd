import BitDustRecords
import ArgumentParser
import DHTControl
import DHTCore
import DHTRuntime
import DHTStorage
import DHTWire
import Dispatch
import FoundationEssentials
#if canImport(Glibc)
    import Glibc
#endif
import Logging

/// `dhtop node`: a long-running, attached node with durable storage. Prints
/// `READY <port> <layer-0 id>` once layer 0 is joined (a contact answered), or at once for a
/// genesis node; until then it prints nothing on stdout and logs each join attempt while it
/// retries its seeds. Stops cleanly (exit 0) on SIGINT or SIGTERM. A data directory that cannot
/// be used is reported in one line and exit 1, untouched.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a headless DHT node."
    )

    @OptionGroup var node: NodeRunOptions

    @Option(help: ArgumentHelp("Write events as JSON lines to stdout (-) or append them to FILE.", valueName: "-|file"))
    var events: String?

    @Option(
        name: .customLong("log-format"),
        help: ArgumentHelp(
            "auto (journal when stdout is not a terminal, else plain), journal (<6>-style priority prefixes), logfmt or plain.",
            valueName: "format"))
    var logFormat = "auto"

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Write the log to FILE (logfmt) instead of stdout, rotated by size.", valueName: "file"))
    var logFile: String?

    @Option(name: .customLong("log-max-bytes"), help: "Rotate the log file past this size.")
    var logMaxBytes: Int = 10 << 20

    @Option(name: .customLong("log-keep"), help: "Rotated log files to keep (FILE.1 … FILE.N).")
    var logKeep: Int = 3

    @OptionGroup var control: NodeControlSocketOptions

    @Option(
        help: ArgumentHelp(
            "Serve the counters in Prometheus text format at http://127.0.0.1:PORT/metrics (off by default).",
            valueName: "127.0.0.1:port"))
    var metrics: String?

    func validate() throws {
        try node.requireDataDirectory()
        guard logFormat == "auto" || LogFormat(rawValue: logFormat) != nil else {
            throw ValidationError("--log-format must be auto, journal, logfmt or plain")
        }
        guard logMaxBytes >= 1024 else { throw ValidationError("--log-max-bytes must be at least 1024") }
        guard (1...100).contains(logKeep) else { throw ValidationError("--log-keep must be between 1 and 100") }
        if let metrics { _ = try Self.metricsPort(metrics) }
    }

    /// The port of `--metrics 127.0.0.1:PORT`; any host but loopback is a usage error.
    static func metricsPort(_ text: String) throws(ValidationError) -> UInt16 {
        let (host, port) = try parseHostPort(text, what: "--metrics")
        guard host == "127.0.0.1" || host == "localhost" else {
            throw ValidationError("--metrics serves on loopback only: give 127.0.0.1:PORT, not '\(text)'")
        }
        return port
    }

    func run() async throws {
        try bootstrapLogging()
        let logger = Logger(label: "dhtop.node")
        let node = try self.node.openNode(self.node.nodeOptions(seeds: self.node.resolveSeeds()), logger: logger)
        var writer: EventWriter?
        if let events {
            do {
                writer = try EventWriter(destination: events)
            } catch {
                node.stop()
                Output.fail(error.message)
                throw ExitCode(DHTop.failureStatus)
            }
            writer?.attach(to: node.events)
        }
        let finalWriter = writer
        node.start()
        let service = try startService(node, logger: logger)
        let watcher = SignalWatcher([SIGINT, SIGTERM, SIGHUP]) { number in
            logger.info("signal \(number): stopping; saving the routing table")
            service.stop()
            node.stop()
            finalWriter?.finish()
            logger.info("stopped")
            Glibc.exit(0)
        }
        logger.info("listening on UDP \(node.options.host):\(node.port), data in \(node.options.dataDirectory ?? "-")")
        if case .failed(let failure) = await node.join() {
            logger.warning("\(failure.message); retrying until a seed answers or a peer contacts this node")
        }
        let settled = await node.waitUntilSettled(layer: 0)
        let id = node.withEngine { $0.nodeID(layer: 0)! }
        Output.line("READY \(node.port) \(id.hex)")
        logger.info("ready (\(settled.name)): layer 0 id \(id.hex), \(node.withEngine { $0.contacts(layer: 0).count }) contacts")
        // Start-up is over: most of the code it touched never runs again (StartupCodePages says why).
        if let released = StartupCodePages.release() {
            logger.debug("start-up code unmapped: \(released.residentBytesBefore >> 10) KiB of \(released.length >> 10) KiB were resident")
        }
        while true {
            try? await Task.sleep(for: .seconds(3600))
            withExtendedLifetime(watcher) {}
        }
    }
}

extension NodeCommand {
    /// Logs go to `--log-file` (logfmt, rotated), else to stdout — or stderr when `--events -`
    /// owns stdout — journal-formatted unless stdout is a terminal or `--log-format` says otherwise.
    func bootstrapLogging() throws {
        var file: RotatingLogFile?
        if let logFile {
            switch Result(catching: { () throws(ControlError) in try RotatingLogFile(path: logFile, maxBytes: logMaxBytes, keep: logKeep) }) {
            case .success(let f): file = f
            case .failure(let e):
                Output.fail(e.message)
                throw ExitCode(DHTop.failureStatus)
            }
        }
        let fd = events == "-" ? STDERR_FILENO : STDOUT_FILENO
        let format = LogFormat(rawValue: logFormat) ?? (isatty(fd) != 0 ? .plain : .journal)
        LoggingSystem.bootstrapService(format: format, level: node.logLevel, fd: fd, file: file)
    }

    /// The control socket (unless `--no-control-socket`) and the metrics endpoint (with `--metrics`).
    func startService(_ node: DHTNode, logger: Logger) throws -> NodeService {
        let options = NodeService.Options(controlSocket: control.path(for: node), metricsPort: try metrics.map { try Self.metricsPort($0) })
        switch Result(catching: { () throws(ControlError) in try NodeService.start(node: node, options: options, logger: logger) }) {
        case .success(let service): return service
        case .failure(let e):
            node.stop()
            Output.fail(e.message)
            throw ExitCode(DHTop.failureStatus)
        }
    }
}

/// Calls a handler once on SIGINT or SIGTERM, on a private queue, instead of the default
/// termination. Keep the watcher alive as long as the handler should run. Thread-safe.
final class SignalWatcher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "dhtop.signals")
    private var sources: [DispatchSourceSignal] = []

    init(_ signals: [Int32] = [SIGINT, SIGTERM], handler: @escaping @Sendable (Int32) -> Void) {
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }
}
