import NodeAPI
import DHTCore
import DHTWire
import Synchronization

/// The attached console's side of the socket: feeds snapshots and events to the console and
/// forwards its prompt commands to the node as a `NodeBackend`.
///
/// Contract: thread-safe. The handlers given at creation are called on the client's queue;
/// `run` returns at once and its callbacks arrive on that queue too. The moment the connection
/// drops (end of stream or a socket error: the node stopped, crashed or dropped this console),
/// commands still running complete with a failure, `detachedReason` is set and `closed` is
/// called exactly once with the reason (the node's last `error` line included) — the console
/// should then show that it is detached rather than keep a live-looking header. `detach`
/// closes the socket and leaves the node running (no `closed` call). Reads no clock.
public final class RemoteConsole: NodeBackend, Sendable {
    /// What the node sends, handed on; `events` gets each run of events with one engine time.
    public struct Handlers: Sendable {
        public var snapshot: @Sendable (NodeSnapshot) -> Void
        public var events: @Sendable ([NodeEvent], Timestamp) -> Void
        public var closed: @Sendable (String) -> Void
        public init(
            snapshot: @escaping @Sendable (NodeSnapshot) -> Void,
            events: @escaping @Sendable ([NodeEvent], Timestamp) -> Void,
            closed: @escaping @Sendable (String) -> Void
        ) {
            self.snapshot = snapshot
            self.events = events
            self.closed = closed
        }
    }

    private struct Pending {
        var progress: @Sendable (String) -> Void
        var completion: @Sendable (CommandOutcome) -> Void
    }

    private struct State {
        var nextID = 1
        var pending: [Int: Pending] = [:]
        var closed = false
        var reason: String?
    }

    public let client: ControlClient
    private let handlers: Handlers
    private let state = Mutex(State())

    public init(client: ControlClient, handlers: Handlers) {
        self.client = client
        self.handlers = handlers
    }

    /// Why the connection to the node is gone (nil while attached, or after `detach`).
    public var detachedReason: String? { state.withLock { $0.reason } }

    /// Whether snapshots and events still come from the node.
    public var isAttached: Bool { state.withLock { !$0.closed } }

    /// Subscribes: a snapshot arrives first, then events and a snapshot a second.
    public func start() {
        client.startReading({ [self] message in self.receive(message) }, onClose: { [self] reason in self.lost(reason) })
        client.send(.subscribe)
    }

    /// Closes the connection; the node keeps running.
    public func detach() {
        state.withLock { $0.closed = true }
        client.close()
    }

    public func run(
        _ command: NodeCommand, layer: Int, progress: @escaping @Sendable (String) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let id = state.withLock { s -> Int? in
            guard !s.closed else { return nil }
            let id = s.nextID
            s.nextID += 1
            s.pending[id] = Pending(progress: progress, completion: completion)
            return id
        }
        guard let id else {
            completion(.failure("not connected to the node"))
            return
        }
        if !client.send(.command(id: id, command, layer: layer)) {
            let p = state.withLock { $0.pending.removeValue(forKey: id) }
            p?.completion(.failure("not connected to the node"))
        }
    }

    private func receive(_ message: ServerMessage) {
        switch message {
        case .snapshot(let s): handlers.snapshot(s)
        case .events(let e):
            for run in TimedEvent.runs(e) { handlers.events(run.events, run.time) }
        case .progress(let id, let line):
            let p = state.withLock { $0.pending[id] }
            p?.progress(line)
        case .outcome(let id, let outcome):
            let p = state.withLock { $0.pending.removeValue(forKey: id) }
            p?.completion(outcome)
        case .error:
            break  // the node closes the connection after it; `lost` reports the text with the close
        case .welcome, .status, .snapshotBegin, .snapshotPart, .snapshotEnd:
            break
        }
    }

    private func lost(_ reason: String) {
        let (pending, wasClosed) = state.withLock { s -> ([Pending], Bool) in
            let p = Array(s.pending.values)
            s.pending.removeAll()
            let was = s.closed
            s.closed = true
            if !was { s.reason = reason }
            return (p, was)
        }
        for p in pending { p.completion(.failure("connection to the node lost: \(reason)")) }
        if !wasClosed { handlers.closed(reason) }
    }
}
