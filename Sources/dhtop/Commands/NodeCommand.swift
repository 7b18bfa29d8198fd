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

    @OptionGroup var node: NodeRunOptions

    @Option(help: ArgumentHelp("Write events as JSON lines to stdout (-) or append them to FILE.", valueName: "-|file"))
    var events: String?

    func validate() throws {
        try node.requireDataDirectory()
    }

    func run() async throws {
        let level = self.node.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
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
        logger.info("listening on UDP \(node.options.host):\(node.port), data in \(node.options.dataDirectory ?? "-")")
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
