import ConsoleModel
import NodeAPI
import DHTCore
import DHTRuntime
import DHTWire
import LocalNode
import Dispatch

/// Feeds a running node to the console: every node event (in batches, as they happen) and a
/// full snapshot once a second, through `sink` (normally `ConsoleInbox.push`).
///
/// Contract: `start`, `join` and `stop` may be called from any thread except the node's queue;
/// `sink` is called on the session's private serial queue, never on the caller's. Events keep
/// the engine's time of when they happened (a batch is cut into runs of one time); reads no
/// clock itself. Thread-safe.
public final class ConsoleSession: @unchecked Sendable {
    public let node: DHTNode
    public let builder: NodeSnapshotBuilder
    private let sink: @Sendable (ConsoleInput) -> Void
    private let queue = DispatchQueue(label: "dhtop.console.session")
    /// Touched only on `queue`.
    private var subscription: EventHub.Subscription?
    private var timer: (any DispatchSourceTimer)?
    private let snapshotInterval: DispatchTimeInterval

    public init(
        node: DHTNode, dataDirectoryText: String? = nil, snapshotInterval: DispatchTimeInterval = .seconds(1),
        sink: @escaping @Sendable (ConsoleInput) -> Void
    ) {
        self.node = node
        self.builder = NodeSnapshotBuilder(node: node, dataDirectoryText: dataDirectoryText)
        self.snapshotInterval = snapshotInterval
        self.sink = sink
    }

    /// Subscribes to the node's events, pushes a first snapshot and starts the snapshot timer.
    public func start() {
        let node = self.node, sink = self.sink, builder = self.builder
        let subscription = node.events.subscribe(queue: queue, limit: 100_000) { events in
            for run in TimedEvent.runs(events) { sink(.events(run.events, at: run.time)) }
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now(), repeating: snapshotInterval, leeway: .milliseconds(50))
        timer.setEventHandler { @Sendable in sink(.snapshot(builder.snapshot())) }
        timer.resume()
        queue.sync {
            self.subscription = subscription
            self.timer = timer
        }
    }

    /// Joins every layer of the node (seeds plus remembered contacts) and tells the console how it
    /// went; when no seed answers it says so plainly and suggests `--seed` or `--sandbox`.
    public func join() async {
        let seeds = node.options.seeds
        let result = await node.join()
        sink(.commandResult(Self.joinOutcome(result, seeds: seeds)))
    }

    /// The message shown for the start-up join.
    static func joinOutcome(_ result: OperationResult, seeds: [Endpoint]) -> CommandOutcome {
        let hint = "running alone; give --seed HOST:PORT or try --sandbox 8"
        switch result {
        case .joined(let s) where s.responders > 0:
            return CommandOutcome(
                command: "join", succeeded: true,
                summary: "joined through \(seeds.count) seed\(seeds.count == 1 ? "" : "s"): \(s.responders) responders \(CommandOutcome.cost(s))")
        case .joined where seeds.isEmpty:
            return CommandOutcome(command: "join", succeeded: true, summary: "started a network of its own (genesis); waiting for peers")
        case .joined:
            return CommandOutcome(command: "join", succeeded: false, summary: "no seed answered; \(hint)")
        case .failed(let f):
            let what = seeds.isEmpty ? "no seed to join through" : f.message
            return CommandOutcome(command: "join", succeeded: false, summary: "\(what); \(hint)")
        default:
            return CommandOutcome(result)
        }
    }

    /// Stops feeding the console (the node keeps running; stop it separately).
    public func stop() {
        queue.sync {
            subscription?.cancel()
            timer?.cancel()
            subscription = nil
            timer = nil
        }
    }
}
