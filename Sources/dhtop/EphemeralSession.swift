import BitDustRecords
import ArgumentParser
import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import Logging
import Synchronization

/// A throwaway node for one command: no data directory, a random port, and unattached, so its
/// calls are QUESTIONs and peers do not keep it in their tables (spec §7).
///
/// Contract: every `perform` shares one overall deadline; after it passes they return nil at once.
/// Call `close()` when done. Not meant to be shared between tasks.
final class EphemeralSession {
    let node: DHTNode
    let layer: Int
    let seeds: [Endpoint]
    private let deadline: DispatchTime

    /// Binds 127.0.0.1 when every address it will talk to is loopback, else 0.0.0.0.
    /// Throws `ExitCode(1)` (after printing why) when the node cannot start.
    init(seeds: [Endpoint], peers: [Endpoint] = [], layer: Int, timeout: Double) throws {
        var options = NodeOptions()
        options.storeRule = BitDustStoreRule.rule
        options.host = SeedResolver.allLoopback(seeds + peers) ? "127.0.0.1" : "0.0.0.0"
        options.port = 0
        options.dataDirectory = nil
        options.layers = [layer]
        options.seeds = seeds
        options.attach = false
        if timeout < 5 { options.engine.rpcTimeout = .milliseconds(Int64(max(timeout, 0.05) * 1000)) }
        self.layer = layer
        self.seeds = seeds
        self.deadline = .now() + .nanoseconds(Int(timeout * 1e9))
        DHTop.bootstrapLogging(level: .error)
        let logger = Logger(label: "dhtop.oneshot")
        do {
            node = try DHTNode(options: options, logger: logger)
        } catch {
            Output.fail("cannot start a node: \(error)")
            throw ExitCode(DHTop.failureStatus)
        }
        node.start()
    }

    /// Joins `layer` through the seeds as a QUESTION-sending node. Nil when the deadline passed.
    func join() async -> OperationResult? {
        await perform(.join(seeds: seeds, layer: layer, attach: false))
    }

    /// Runs `operation`, giving up (nil) when the overall deadline passes first.
    func perform(_ operation: Operation) async -> OperationResult? {
        guard DispatchTime.now() < deadline else { return nil }
        let node = self.node
        let deadline = self.deadline
        return await withCheckedContinuation { continuation in
            let once = ResumeOnce(continuation)
            node.perform(operation) { once.resume($0) }
            DispatchQueue.global().asyncAfter(deadline: deadline) { once.resume(nil) }
        }
    }

    /// Joins, and on failure prints the reason (also as a JSON object with `json`) and throws
    /// `ExitCode(1)`.
    func joinOrFail(json: Bool) async throws {
        switch await join() {
        case nil:
            throw Output.failure("timed out while joining the network", json: JSONObject(), asJSON: json)
        case .failed(let failure)?:
            throw Output.failure("cannot join: \(failure.message)", json: JSONObject(), asJSON: json)
        default:
            return
        }
    }

    func close() { node.stop() }

    /// Resolves the seeds of `options`; prints a reason and throws a usage or failure exit when
    /// there is nothing to start from.
    static func seeds(_ options: SeedOptions) throws -> [Endpoint] {
        if options.isGenesis {
            throw ValidationError("a one-shot command needs a seed; --seed genesis is only for `dhtop node`")
        }
        let endpoints = SeedResolver.resolve(options.effectiveSeeds)
        guard !endpoints.isEmpty else {
            Output.fail("no seed could be resolved")
            throw ExitCode(DHTop.failureStatus)
        }
        return endpoints
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
