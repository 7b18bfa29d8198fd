import DHTCore
import Dispatch
import Synchronization

/// Fans node events out to any number of observers, each on its own queue with a bounded
/// buffer: a slow observer loses events (counted in `dropped`) and never stalls the node. Each
/// event keeps the engine's time of when it happened (`TimedEvent`), however late it is
/// delivered. Thread-safe; reads no clock.
public final class EventHub: Sendable {
    /// One observer's subscription; cancel it to stop receiving.
    public final class Subscription: Sendable {
        fileprivate let state: Mutex<State>
        fileprivate let queue: DispatchQueue
        fileprivate let handler: @Sendable ([TimedEvent]) -> Void
        fileprivate let limit: Int

        fileprivate struct State {
            var buffer: [TimedEvent] = []
            var scheduled = false
            var cancelled = false
            var dropped = 0
        }

        fileprivate init(queue: DispatchQueue, limit: Int, handler: @escaping @Sendable ([TimedEvent]) -> Void) {
            self.queue = queue
            self.limit = limit
            self.handler = handler
            self.state = Mutex(State())
        }

        /// Events this observer lost because its buffer was full.
        public var dropped: Int { state.withLock { $0.dropped } }

        public func cancel() {
            state.withLock {
                $0.cancelled = true
                $0.buffer.removeAll()
            }
        }

        fileprivate func offer(_ events: [TimedEvent]) {
            let schedule = state.withLock { s -> Bool in
                guard !s.cancelled else { return false }
                let room = max(0, limit - s.buffer.count)
                if events.count > room { s.dropped += events.count - room }
                s.buffer.append(contentsOf: events.prefix(room))
                guard !s.scheduled, !s.buffer.isEmpty else { return false }
                s.scheduled = true
                return true
            }
            if schedule { queue.async { self.drain() } }
        }

        private func drain() {
            let batch = state.withLock { s -> [TimedEvent] in
                let b = s.buffer
                s.buffer.removeAll(keepingCapacity: true)
                s.scheduled = false
                return s.cancelled ? [] : b
            }
            if !batch.isEmpty { handler(batch) }
        }
    }

    private let subscriptions = Mutex<[Subscription]>([])

    public init() {}

    /// Delivers events in order, in batches, on `queue`; at most `limit` wait undelivered.
    public func subscribe(
        queue: DispatchQueue, limit: Int = 65_536,
        _ handler: @escaping @Sendable ([TimedEvent]) -> Void
    ) -> Subscription {
        let s = Subscription(queue: queue, limit: limit, handler: handler)
        subscriptions.withLock { $0.append(s) }
        return s
    }

    /// Whether anyone listens (so the node can skip building events nobody reads); a cancelled
    /// subscription is nobody.
    public var hasObservers: Bool {
        subscriptions.withLock { list in list.contains { s in !s.state.withLock { $0.cancelled } } }
    }

    /// Called by the node with the events of one batch of work.
    func publish(_ events: [TimedEvent]) {
        guard !events.isEmpty else { return }
        let subs = subscriptions.withLock { list -> [Subscription] in
            list.removeAll { s in s.state.withLock { $0.cancelled } }
            return list
        }
        for s in subs { s.offer(events) }
    }
}
