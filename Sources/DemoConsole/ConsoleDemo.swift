import ConsoleModel
import ConsoleTUI
import NodeAPI
import DHTCore
import DHTWire
import Dispatch
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A self-contained console demo: a synthetic node pushes events every 100 ms and a snapshot
/// every second, and a fake backend answers prompt commands. `dhtop --demo` calls `run()`.
///
/// Contract: call `run()` on the main thread; it blocks until the console quits.
public enum ConsoleDemo {
    /// Runs the demo console; returns why it stopped.
    @discardableResult
    public static func run(
        options: ConsoleApp.Options = ConsoleApp.Options(themesDirectory: "themes"),
        readOnly: Bool = false
    ) -> ConsoleApp.ExitReason {
        let inbox = ConsoleInbox()
        let node = DemoNode(now: ConsoleClock.now())
        let feed = startFeed(node: node, inbox: inbox)
        defer { feed.cancel() }
        inbox.push(snapshot: node.snapshot(now: ConsoleClock.now()))
        let state = ConsoleState(options: .init(readOnly: readOnly))
        return ConsoleApp(options: options).run(initial: state, inbox: inbox, backend: DemoBackend(node: node))
    }

    /// Starts the background timer; created outside any actor so its handler is not main-actor
    /// isolated (pitfall 7).
    static func startFeed(node: DemoNode, inbox: ConsoleInbox) -> any DispatchSourceTimer {
        let queue = DispatchQueue(label: "dhtop.demo.node")
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let ticks = TickCounter()
        timer.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100))
        timer.setEventHandler { @Sendable in
            let now = ConsoleClock.now()
            inbox.push(events: node.step(now: now), at: now)
            if ticks.next() % 10 == 0 { inbox.push(snapshot: node.snapshot(now: now)) }
        }
        timer.resume()
        return timer
    }
}

/// Counts timer ticks from the demo queue. Thread-safe.
final class TickCounter: Sendable {
    private let value = Atomic<Int>(0)
    func next() -> Int { value.add(1, ordering: .relaxed).newValue }
}

/// A fake `NodeBackend` over the demo node: lookups take a few rounds of 150 ms.
struct DemoBackend: NodeBackend {
    let node: DemoNode

    func run(
        _ command: NodeCommand, layer: Int, progress: @escaping @Sendable (String) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let queue = DispatchQueue(label: "dhtop.demo.command")
        let node = self.node
        queue.async {
            let start = ConsoleClock.now()
            var summary = LookupSummary(id: LookupID(999), layer: 0, target: .zero, purpose: .findNode, startedAt: start)
            func rounds(_ n: Int) {
                for r in 1...n {
                    usleepMillis(150)
                    summary.rounds = r
                    summary.rpcsSent += 3 + r % 2
                    summary.responders += 3
                    summary.closestCommonPrefix = 4 * r
                    progress("round \(r): \(summary.rpcsSent) RPCs, \(summary.responders) answered, prefix \(4 * r) bits")
                }
                summary.elapsed = ConsoleClock.now() - start
            }
            switch command {
            case .get(let key):
                rounds(3)
                if let r = node.record(key: key.text) {
                    completion(
                        CommandOutcome(
                            succeeded: true, summary: "found \(CommandOutcome.cost(summary))",
                            detail: RecordRendering.lines(for: r.value)))
                } else {
                    completion(.failure("not found \(CommandOutcome.cost(summary))"))
                }
            case .set(let key, let value, let expire):
                rounds(2)
                node.store(key: key.text, value: value, expire: expire ?? 86400, now: ConsoleClock.now())
                completion(CommandOutcome(succeeded: true, summary: "stored on 7/8 nodes \(CommandOutcome.cost(summary))"))
            case .delete:
                completion(.failure("delete: not supported by the demo node"))
            case .forget:
                completion(.failure("forget: not supported by the demo node"))
            case .ping(let ep):
                usleepMillis(40)
                if ep.port == 9 {
                    completion(.failure("timeout: no answer from \(ep) after 5s"))
                    return
                }
                completion(CommandOutcome(succeeded: true, summary: "pong from \(ep) in 4.2 ms"))
            case .find(let target):
                summary.target = target.id
                rounds(4)
                completion(
                    CommandOutcome(
                        succeeded: true, summary: "8 closest found \(CommandOutcome.cost(summary))",
                        detail: (0..<8).map { i in "node \(i)  10.0.0.\(i + 10):14441" }))
            case .join(let ep):
                rounds(2)
                completion(CommandOutcome(succeeded: true, summary: "joined via \(ep) \(CommandOutcome.cost(summary))"))
            case .getRecord, .setRecord:
                completion(.failure("records: not supported by the demo node"))
            case .discover, .watch, .crawl, .latency:
                completion(.failure("discover, watch and crawl: not supported by the demo node"))
            }
        }
    }
}

/// Sleeps the current (background) thread.
func usleepMillis(_ ms: Int) {
    var ts = timespec(tv_sec: ms / 1000, tv_nsec: (ms % 1000) * 1_000_000)
    nanosleep(&ts, nil)
}
