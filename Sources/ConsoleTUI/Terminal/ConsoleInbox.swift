import ConsoleModel
import DHTCore
import DHTWire
import Synchronization

/// The thread-safe queue through which the node (events, snapshots) and the backend (command
/// progress and results) reach the console.
///
/// Contract: `push` may be called from any thread and never blocks for long (one short lock);
/// the console's main loop drains it. Bounded: beyond `capacity` the oldest event batches are
/// dropped and counted (the next snapshot repairs the panes), so the node never waits.
public final class ConsoleInbox: Sendable {
    private let queue = Mutex<[ConsoleInput]>([])
    private let droppedCount = Atomic<Int>(0)
    public let capacity: Int

    public init(capacity: Int = 10_000) { self.capacity = capacity }

    /// Queues any input.
    public func push(_ input: ConsoleInput) {
        let dropped = queue.withLock { q -> Bool in
            q.append(input)
            guard q.count > capacity else { return false }
            if let i = q.firstIndex(where: { if case .events = $0 { return true } else { return false } }) {
                q.remove(at: i)
            } else {
                q.removeFirst()
            }
            return true
        }
        if dropped { droppedCount.add(1, ordering: .relaxed) }
    }

    /// Queues node events that happened at `at` (in order).
    public func push(events: [NodeEvent], at: Timestamp) { push(.events(events, at: at)) }

    /// Queues a full snapshot of the node.
    public func push(snapshot: NodeSnapshot) { push(.snapshot(snapshot)) }

    /// Batches dropped because the console fell behind.
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }

    /// Takes everything queued so far, oldest first (main loop only).
    func drain() -> [ConsoleInput] {
        queue.withLock { q in
            let out = q
            q.removeAll(keepingCapacity: true)
            return out
        }
    }
}
