import BitDustRecords
import ArgumentParser
import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import LocalNode
import Logging
import NodeAPI
import Synchronization

/// A throwaway node for one command: no data directory, a random port, and unattached, so its
/// calls are QUESTIONs and peers do not keep it in their tables (docs/protocol.md §7). Commands run through
/// `LocalNodeBackend`, as at the console's prompt.
///
/// Contract: every `run` shares one overall deadline; after it passes they fail at once.
/// Call `close()` when done. Not meant to be shared between tasks.
final class EphemeralSession {
    let node: DHTNode
    let layer: Int
    let seeds: [Endpoint]
    private let timeout: Double
    private let deadline: DispatchTime

    /// Binds 127.0.0.1 when every address it will talk to is loopback, else 0.0.0.0.
    /// Throws the reason when the node cannot start.
    /// `extraLayers` are created besides `layer` but not joined (a crawl pings nodes on them).
    init(seeds: [Endpoint], peers: [Endpoint] = [], layer: Int, extraLayers: [Int] = [], timeout: Double) throws {
        var options = NodeOptions()
        options.storeRule = BitDustStoreRule.rule
        options.host = SeedResolver.allLoopback(seeds + peers) ? "127.0.0.1" : "0.0.0.0"
        options.port = 0
        options.dataDirectory = nil
        options.layers = [layer] + extraLayers.filter { $0 != layer }
        options.seeds = seeds
        options.attach = false
        if timeout < 5 { options.engine.rpcTimeout = .milliseconds(Int64(max(timeout, 0.05) * 1000)) }
        self.layer = layer
        self.seeds = seeds
        self.timeout = timeout
        self.deadline = .now() + .nanoseconds(Int(timeout * 1e9))
        DHTop.bootstrapLogging(level: .error)
        node = try DHTNode(options: options, logger: Logger(label: "dhtop.oneshot"))
        node.start()
    }

    /// Joins `layer` through the seeds as a QUESTION-sending node; nil when it did, else why not.
    func join() async -> String? {
        // A seed's answer can be lost like any datagram: up to three attempts, each a new query,
        // before giving up (a join that heard no seed is a failure, not an empty network).
        var failure = "cannot join: no seed answered"
        for _ in 1...3 {
            let node = self.node, join = Operation.join(seeds: seeds, layer: layer, attach: false)
            let result: OperationResult? = await beforeDeadline(or: nil) { done in node.perform(join) { done($0) } }
            switch result {
            case nil: return "timed out while joining the network"
            case .failed(let f)?: failure = "cannot join: \(f.message)"
            case .joined(let summary)? where summary.responders == 0 && !seeds.isEmpty: failure = "cannot join: no seed answered"
            default: return nil
            }
        }
        return failure
    }

    /// Runs `command` through `LocalNodeBackend`, failing when the overall deadline passes first.
    func run(_ command: NodeAPI.NodeCommand) async -> CommandOutcome {
        let backend = LocalNodeBackend(node: node), layer = self.layer
        return await beforeDeadline(or: .failure("timed out after \(timeout) s", fields: command.contextFields(layer: layer))) { done in
            backend.run(command, layer: layer, progress: { _ in }, completion: done)
        }
    }

    /// Runs `command` through `LocalNodeBackend.runStreaming`, handing each partial result to
    /// `partial` as it comes; fails when the overall deadline passes first.
    func stream(_ command: NodeAPI.NodeCommand, partial: @escaping @Sendable (CommandOutcome) -> Void) async -> CommandOutcome {
        let backend = LocalNodeBackend(node: node), layer = self.layer
        return await beforeDeadline(or: .failure("timed out after \(timeout) s", fields: command.contextFields(layer: layer))) { done in
            backend.runStreaming(command, layer: layer, partial: partial, completion: done)
        }
    }

    /// What `start` passes to its callback, or `fallback` when the overall deadline passes first.
    private func beforeDeadline<T: Sendable>(or fallback: T, _ start: (@escaping @Sendable (T) -> Void) -> Void) async -> T {
        guard DispatchTime.now() < deadline else { return fallback }
        let deadline = self.deadline
        return await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            start { once.resume($0) }
            DispatchQueue.global().asyncAfter(deadline: deadline) { once.resume(fallback) }
        }
    }

    func close() { node.stop() }
}

/// Runs one command the way every one-shot command does: a throwaway node, a join (unless
/// `join` is false), the command through `LocalNodeBackend`, then `print`. Every failure on the
/// way (no seed, no node, no join, timeout) is an outcome too, so `--json` prints exactly one
/// object on every path. Stateless.
enum OneShot {
    static func run(_ command: NodeAPI.NodeCommand, options: OneShotOptions, raw: Bool = false) async throws {
        try print(await outcome(command, options: options.command, seeds: options.seedOptions, peers: []), json: options.json, raw: raw)
    }

    /// Runs `command` through a throwaway node that joins through `seeds` first (nil: no join,
    /// the command talks to `peers` directly).
    static func run(
        _ command: NodeAPI.NodeCommand, options: CommandOptions, seeds: SeedOptions?, peers: [Endpoint] = [],
        raw: Bool = false
    ) async throws {
        try print(await outcome(command, options: options, seeds: seeds, peers: peers), json: options.json, raw: raw)
    }

    static func outcome(
        _ command: NodeAPI.NodeCommand, options: CommandOptions, seeds seedOptions: SeedOptions?,
        peers: [Endpoint]
    ) async throws -> CommandOutcome {
        let context = command.contextFields(layer: options.layer)
        var seeds: [Endpoint] = []
        if let seedOptions {
            if seedOptions.isGenesis {
                throw ValidationError("a one-shot command needs a seed; --seed genesis is only for `dhtop node`")
            }
            seeds = SeedResolver.resolve(seedOptions.effectiveSeeds)
            guard !seeds.isEmpty else { return .failure("no seed could be resolved", fields: context) }
        }
        let session: EphemeralSession
        do {
            session = try EphemeralSession(seeds: seeds, peers: peers, layer: options.layer, timeout: options.timeout)
        } catch {
            return .failure("cannot start a node: \(error)", fields: context)
        }
        defer { session.close() }
        if seedOptions != nil, let reason = await session.join() { return .failure(reason, fields: context) }
        return await session.run(command)
    }

    /// Prints an outcome: with `json` its one JSON object; else its lines (`raw`: the raw
    /// alternative), a failure's summary going to stderr as `dhtop: …`. Throws exit 1 on failure.
    static func print(_ outcome: CommandOutcome, json: Bool, raw: Bool = false) throws {
        if json {
            Output.line(outcome.json.jsonText)
        } else {
            for line in outcome.lines(raw: raw).dropFirst(outcome.succeeded ? 0 : 1) { Output.line(line) }
        }
        guard outcome.succeeded else {
            Output.fail(outcome.summary)
            throw ExitCode(DHTop.failureStatus)
        }
    }
}

/// Resumes a continuation exactly once, whichever of several callers comes first. Thread-safe.
final class ResumeOnce<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) { self.continuation = Mutex(continuation) }

    func resume(_ value: T) {
        continuation.withLock { c in
            c?.resume(returning: value)
            c = nil
        }
    }
}
