import BitDustRecords
import ArgumentParser
import DHTCore
import DHTRuntime
import DHTStorage
import DHTWire
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging

/// `dhtop node`: a long-running, attached node with durable storage. Prints
/// `READY <port> <layer-0 id>` once listening and joined; stops cleanly (exit 0) on SIGINT or
/// SIGTERM. A data directory that cannot be used is reported in one line and exit 1, untouched.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a headless DHT node."
    )

    @Option(help: "The IPv4 address to listen on.")
    var host = "0.0.0.0"

    @Option(help: "The UDP port to listen on (0 picks a free one).")
    var port: UInt16 = 14441

    @OptionGroup var seedOptions: SeedOptions

    @Option(name: .customLong("data-dir"), help: ArgumentHelp(
        "Where records and node ids are kept. Default: $XDG_DATA_HOME/dhtop, else ~/.local/share/dhtop.", valueName: "path"))
    var dataDirectory: String?

    @Option(name: .customLong("layer"), help: "A layer to create and join besides 0 (0-9, repeatable).")
    var layers: [Int] = []

    @Flag(name: .customLong("no-validate"), help: "Accept any stored value (skip BitDust's JSON record check).")
    var noValidate = false

    @Flag(name: .customLong("allow-delete"), help: "Serve the unauthenticated delete RPC.")
    var allowDelete = false

    @Option(name: .customLong("rpc-timeout"), help: ArgumentHelp("Seconds before an RPC counts as lost.", valueName: "seconds"))
    var rpcTimeout: Double?

    @Option(name: .customLong("k"), help: "Bucket size and lookup width (BitDust: 4).")
    var k: Int?

    @Option(name: .customLong("alpha"), help: "Parallel RPCs per lookup (BitDust: 4).")
    var alpha: Int?

    @Option(help: ArgumentHelp("Write events as JSON lines to stdout (-) or append them to FILE.", valueName: "-|file"))
    var events: String?

    @Option(name: .customLong("node-data"), help: ArgumentHelp(
        "What the request RPC answers for NAME, on every layer (repeatable).", valueName: "name=value"))
    var nodeData: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    func validate() throws {
        guard Endpoint.parseIPv4(host) != nil else { throw ValidationError("--host '\(host)' is not an IPv4 address") }
        for layer in layers { try checkLayer(layer) }
        if let rpcTimeout, !(rpcTimeout > 0 && rpcTimeout < 3600) {
            throw ValidationError("--rpc-timeout must be between 0 and 3600 seconds")
        }
        if let k, !(1...64).contains(k) { throw ValidationError("--k must be between 1 and 64") }
        if let alpha, !(1...64).contains(alpha) { throw ValidationError("--alpha must be between 1 and 64") }
        _ = try parsedNodeData()
        if dataDirectory == nil && Self.defaultDataDirectory() == nil {
            throw ValidationError("neither XDG_DATA_HOME nor HOME is set; give --data-dir")
        }
    }

    /// `$XDG_DATA_HOME/dhtop`, else `~/.local/share/dhtop`.
    static func defaultDataDirectory() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/dhtop" }
        if let home = env["HOME"], !home.isEmpty { return home + "/.local/share/dhtop" }
        return nil
    }

    /// The `--node-data` pairs, in order.
    func parsedNodeData() throws(ValidationError) -> [(String, String)] {
        try nodeData.map { item throws(ValidationError) in
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("--node-data '\(item)' is not NAME=VALUE")
            }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }

    func nodeOptions(seeds: [Endpoint]) -> NodeOptions {
        var options = NodeOptions()
        options.storeRule = BitDustStoreRule.rule
        options.host = host
        options.port = port
        options.dataDirectory = dataDirectory ?? Self.defaultDataDirectory()
        options.layers = [0] + layers
        options.seeds = seeds
        options.attach = true
        options.engine.validateStores = !noValidate
        options.engine.allowDelete = allowDelete
        if let rpcTimeout { options.engine.rpcTimeout = .milliseconds(Int64(rpcTimeout * 1000)) }
        if let k { options.engine.k = k }
        if let alpha { options.engine.alpha = alpha }
        return options
    }

    func run() async throws {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "dhtop.node")
        let seeds = SeedResolver.resolve(seedOptions.effectiveSeeds)
        if !seedOptions.isGenesis && seeds.isEmpty {
            Output.note("warning: no seed could be resolved; running alone until a peer contacts this node")
        }
        let node = try Self.openNode(nodeOptions(seeds: seeds), logger: logger)
        let pairs = try parsedNodeData()
        node.withEngine { engine in
            for layer in engine.layerIDs {
                for (name, value) in pairs { engine.setNodeData(name, .string(value), layer: layer) }
            }
        }
        var writer: EventWriter?
        if let events {
            do {
                writer = try EventWriter(destination: events)
            } catch {
                node.stop()
                Output.fail(error.message)
                throw ExitCode(DHTop.failureStatus)
            }
            writer?.attach(to: node.events, clock: node.clock)
        }
        let finalWriter = writer
        let watcher = SignalWatcher { number in
            logger.info("signal \(number): stopping")
            node.stop()
            finalWriter?.finish()
            Glibc.exit(0)
        }
        node.start()
        logger.info("listening on UDP \(host):\(node.port), data in \(node.options.dataDirectory ?? "-")")
        if case .failed(let failure) = await node.join() {
            Output.note("warning: \(failure.message); running alone until a peer contacts this node")
        }
        let id = node.withEngine { $0.nodeID(layer: 0)! }
        Output.line("READY \(node.port) \(id.hex)")
        logger.info("ready: layer 0 id \(id.hex), \(node.withEngine { $0.contacts(layer: 0).count }) contacts")
        while true {
            try? await Task.sleep(for: .seconds(3600))
            withExtendedLifetime(watcher) {}
        }
    }

    /// Opens storage and the socket; a failure is printed as `dhtop: <reason>` and exits 1.
    static func openNode(_ options: NodeOptions, logger: Logger) throws -> DHTNode {
        do {
            return try DHTNode(options: options, logger: logger)
        } catch let error as StorageError {
            Output.fail(error.message)
        } catch let error as UDPSocket.Failure {
            Output.fail(error.message)
        } catch {
            Output.fail("cannot start the node: \(error)")
        }
        throw ExitCode(DHTop.failureStatus)
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
