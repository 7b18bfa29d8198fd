import Dispatch
import NodeAPI
import DHTCore
import DHTWire
import Synchronization

/// Keeps a console attached to the node behind a control socket: when the connection drops (the
/// node stopped, crashed or dropped this console) it says so at once and tries again with
/// `ReconnectBackoff` (1 s doubling to 30 s, with jitter) until the node answers, then subscribes
/// again (a fresh snapshot comes first) and says it is attached. Prompt commands go to the
/// connection of the moment; while detached they fail at once with the reason.
///
/// Contract: thread-safe. `handlers` are called on the current connection's queue (snapshots,
/// events) or the link's private serial queue (`state`), never on the caller's; `state` reports
/// every change in order. Connection attempts block only the private queue. `stop` ends the
/// retries and closes the connection (no more `state` calls after it returns, bar one already
/// running). Reads no clock (the delays are timers).
public final class AttachLink: NodeBackend, Sendable {
    /// Whether the console is attached.
    public enum State: Sendable, Hashable {
        /// Snapshots and events flow from the node with this pid.
        case attached(pid: Int32)
        /// The node is gone for `reason`; the next attempt is in `retryIn` seconds.
        case detached(reason: String, retryIn: Double)
    }

    public struct Handlers: Sendable {
        public var snapshot: @Sendable (NodeSnapshot) -> Void
        public var events: @Sendable ([NodeEvent], Timestamp) -> Void
        public var state: @Sendable (State) -> Void
        public init(
            snapshot: @escaping @Sendable (NodeSnapshot) -> Void,
            events: @escaping @Sendable ([NodeEvent], Timestamp) -> Void,
            state: @escaping @Sendable (State) -> Void
        ) {
            self.snapshot = snapshot
            self.events = events
            self.state = state
        }
    }

    private struct Inner {
        var remote: RemoteConsole?
        var backoff: ReconnectBackoff
        var stopped = false
        /// Bumped on every connection, so that a late `closed` of an old one is ignored.
        var generation = 0
        var reason = ""
    }

    public let path: String
    private let handlers: Handlers
    private let connect: @Sendable (String) throws(ControlError) -> ControlClient
    private let queue = DispatchQueue(label: "dhtop.attach.link")
    private let inner: Mutex<Inner>

    /// `connect` opens a connection (default: `ControlClient.connect`; tests pass their own).
    public init(
        path: String, backoff: ReconnectBackoff = ReconnectBackoff(), handlers: Handlers,
        connect: @escaping @Sendable (String) throws(ControlError) -> ControlClient = { path throws(ControlError) in
            try ControlClient.connect(path: path)
        }
    ) {
        self.path = path
        self.handlers = handlers
        self.connect = connect
        self.inner = Mutex(Inner(backoff: backoff))
    }

    /// Starts with a connection the caller made (so that "no node" can fail the command at once).
    public func start(with client: ControlClient) {
        queue.async { self.adopt(client) }
    }

    /// Whether snapshots and events come from the node now.
    public var isAttached: Bool { inner.withLock { $0.remote?.isAttached ?? false } }

    /// Why the node is out of reach (nil while attached).
    public var detachedReason: String? { inner.withLock { $0.remote?.isAttached == true ? nil : $0.reason } }

    /// Ends the retries and closes the connection; the node keeps running.
    public func stop() {
        let remote = inner.withLock { s -> RemoteConsole? in
            s.stopped = true
            s.generation += 1
            defer { s.remote = nil }
            return s.remote
        }
        remote?.detach()
        queue.sync {}
    }

    public func run(
        _ command: NodeCommand, layer: Int, progress: @escaping @Sendable (String) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let (remote, reason) = inner.withLock { ($0.remote, $0.reason) }
        guard let remote, remote.isAttached else {
            completion(.failure("detached from the node (\(reason)); reconnecting"))
            return
        }
        remote.run(command, layer: layer, progress: progress, completion: completion)
    }

    // MARK: On `queue`

    /// Subscribes over `client` and reports attached.
    private func adopt(_ client: ControlClient) {
        let generation = inner.withLock { s -> Int? in
            guard !s.stopped else { return nil }
            s.generation += 1
            s.backoff.succeeded()
            return s.generation
        }
        guard let generation else {
            client.close()
            return
        }
        let handlers = self.handlers
        let remote = RemoteConsole(
            client: client,
            handlers: .init(
                snapshot: handlers.snapshot,
                events: handlers.events,
                closed: { [weak self] reason in
                    guard let self else { return }
                    self.queue.async { self.lost(reason, generation: generation) }
                }))
        inner.withLock { $0.remote = remote }
        handlers.state(.attached(pid: client.nodePID))
        remote.start()
    }

    /// The connection of `generation` dropped: report it and schedule an attempt.
    private func lost(_ reason: String, generation: Int) {
        let current = inner.withLock { s -> Bool in
            guard !s.stopped, s.generation == generation else { return false }
            s.reason = reason
            return true
        }
        if current { scheduleAttempt() }
    }

    private func scheduleAttempt() {
        let (delay, reason) = inner.withLock { s -> (Double?, String) in
            guard !s.stopped else { return (nil, s.reason) }
            return (s.backoff.next(unit: Double.random(in: 0...1)), s.reason)
        }
        guard let delay else { return }
        handlers.state(.detached(reason: reason, retryIn: delay))
        queue.asyncAfter(deadline: .now() + .milliseconds(Int(delay * 1000))) { [weak self] in self?.attempt() }
    }

    private func attempt() {
        guard !inner.withLock({ $0.stopped }) else { return }
        switch Result(catching: { () throws(ControlError) in try connect(path) }) {
        case .success(let client):
            adopt(client)
        case .failure(let error):
            // The header keeps saying why the node was lost; only a node that answers and refuses
            // (another protocol version, another user) changes the reason.
            if !error.message.hasPrefix("no node is running") { inner.withLock { $0.reason = error.message } }
            scheduleAttempt()
        }
    }
}
