import LocalNode
import NodeAPI
import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// The node side of `dhtop attach` and `dhtop status`: a Unix stream socket (0600, in a
/// directory only its owner can write) that only the node's own uid may use (checked with
/// `SO_PEERCRED`).
///
/// Contract: accepting, the event fan-out and the snapshot timer run on the server's private
/// serial queue; each client has its own queue (see `ControlConnection`). Every budget and
/// timeout is in `ControlLimits`: at most `maxClients` connections, of which at most
/// `maxPendingHandshakes` still without `hello` (the oldest is dropped first, also to make
/// room when every slot is taken); all clients' unsent bytes share one `sendBudgetBytes` budget. A subscriber gets a new snapshot only once
/// the previous one is fully sent. Snapshots are built with a short synchronous block on the
/// node's queue. Events go out with the engine's time of each; the server listens to the node's
/// events only while a client is subscribed. Reads the monotonic clock for deadlines.
public final class ControlServer: @unchecked Sendable {
    /// Settings; a value type.
    public struct Configuration: Sendable {
        public var socketPath: String
        /// How often subscribers get a full snapshot (a subscriber still receiving one skips ticks).
        public var snapshotInterval: Duration = .seconds(1)
        public var limits = ControlLimits()
        /// Reported in `welcome` and `status`.
        public var version = DHTopVersion.number
        public var policy = ControlAccessPolicy()
        public init(socketPath: String) { self.socketPath = socketPath }
    }

    public let configuration: Configuration
    public let node: DHTNode
    private let backend: any NodeBackend
    private let makeSnapshot: @Sendable () -> NodeSnapshot
    private let queue = DispatchQueue(label: "dhtop.control.server")
    private let budget: SendBudget
    private var listenFD: Int32 = -1
    private var acceptSource: DispatchSourceRead?
    private var timer: DispatchSourceTimer?
    private var subscription: EventHub.Subscription?
    private var connections: [Int: ControlConnection] = [:]
    private var nextID = 1
    private let clients = Atomic<Int>(0)

    /// `backend` runs prompt commands (default: `LocalNodeBackend`, as the local console uses);
    /// `snapshot` builds the console's picture (default: `NodeSnapshotBuilder`).
    public init(
        node: DHTNode, configuration: Configuration, backend: (any NodeBackend)? = nil,
        snapshot: (@Sendable () -> NodeSnapshot)? = nil
    ) {
        self.node = node
        self.configuration = configuration
        self.backend = backend ?? LocalNodeBackend(node: node)
        let source = NodeSnapshotBuilder(node: node)
        self.makeSnapshot = snapshot ?? { source.snapshot() }
        let limits = configuration.limits
        self.budget = SendBudget(total: limits.sendBudgetBytes, perClient: limits.perClientSendBytes)
    }

    /// Clients connected now.
    public var clientCount: Int { clients.load(ordering: .relaxed) }

    /// Unsent bytes the server holds for all clients now (never above `limits.sendBudgetBytes`).
    public var bufferedBytes: Int { budget.charged }

    /// The most unsent bytes ever held at once.
    public var peakBufferedBytes: Int { budget.peak }

    /// Checks the socket's directory (see `ControlPaths.prepareDirectory`), creates the socket
    /// (0600) and starts accepting.
    public func start() throws(ControlError) {
        try ControlPaths.prepareDirectory(for: configuration.socketPath)
        let fd = try UnixSocket.listen(path: configuration.socketPath)
        queue.sync {
            listenFD = fd
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [weak self] in self?.acceptAll() }
            // The descriptor is closed only once the source is gone: closing it under a live
            // source lets a new descriptor with the same number lose its registration.
            source.setCancelHandler { close(fd) }
            source.resume()
            acceptSource = source
            let interval = DispatchTimeInterval.nanoseconds(Int(configuration.snapshotInterval.nanoseconds))
            timer = ListeningSource.repeatingTimer(on: queue, every: interval) { [weak self] in self?.snapshotTick() }
        }
    }

    /// Disconnects every client, stops accepting, removes the socket file and returns once the
    /// listening descriptor is closed. The node keeps running. Not to be called on the server's queue.
    public func stop() {
        let closed = DispatchSemaphore(value: 0)
        let wait = queue.sync { () -> Bool in
            timer?.cancel()
            timer = nil
            subscription?.cancel()
            subscription = nil
            for c in connections.values { c.close(reason: "server stopping") }
            connections.removeAll()
            guard listenFD >= 0, let source = acceptSource else { return false }
            unlink(configuration.socketPath)
            ListeningSource.cancel(source, closing: listenFD, then: closed)
            acceptSource = nil
            listenFD = -1
            return true
        }
        if wait { closed.wait() }
    }

    /// The status report now (any thread).
    public func status() -> StatusReport {
        let snapshot = makeSnapshot()
        let node = self.node
        let storageUse = node.storageUse
        let extras = node.withEngine { engine in
            StatusReport.Extras(
                version: configuration.version, pid: getpid(), udpPort: node.port,
                nodeItems: Dictionary(uniqueKeysWithValues: engine.layerIDs.map { ($0, engine.nodeDataCount(layer: $0)) }),
                rateLimit: engine.rateLimitStatus, storage: node.storageCommits, controlClients: clientCount,
                storageQuota: storageUse, rpcLatency: engine.rpcLatency)
        }
        return StatusReport(snapshot: snapshot, extras: extras)
    }

    // MARK: On the server's queue

    private func acceptAll() {
        let limits = configuration.limits
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            if let refusal = configuration.policy.refusal(for: UnixSocket.peerCredentials(fd)) {
                refuse(fd, refusal)
                continue
            }
            let live = connections.values.filter { !$0.isClosed }
            let waiting = live.filter { !$0.helloDone }
            // Connections without hello never hold more than their share, nor a slot a newcomer needs.
            if waiting.count >= limits.maxPendingHandshakes || live.count >= limits.maxClients,
                let oldest = waiting.min(by: { $0.id < $1.id })
            {
                oldest.close(reason: "dropped: too many connections waiting for hello (the oldest goes first)")
            } else if live.count >= limits.maxClients {
                refuse(fd, "refused: \(limits.maxClients) clients already attached")
                continue
            }
            let connection = ControlConnection(id: nextID, fd: fd, limits: limits, budget: budget)
            nextID += 1
            connections[connection.id] = connection
            clients.store(connections.count, ordering: .relaxed)
            connection.onLine = { [weak self, weak connection] line in
                guard let self, let connection else { return }
                self.handle(line, from: connection)
            }
            connection.onClose = { [weak self] _ in
                guard let self else { return }
                self.queue.async {
                    self.connections.removeValue(forKey: connection.id)
                    self.clients.store(self.connections.count, ordering: .relaxed)
                }
            }
            connection.start()
        }
    }

    private func refuse(_ fd: Int32, _ message: String) {
        let line = ControlProtocol.line(ServerMessage.error(message))
        _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        close(fd)
    }

    /// Subscribes to the node's events while a client is subscribed, and only then: with nobody
    /// attached the node builds no events and makes no hop to this queue per datagram.
    private func subscribeToNodeEvents() {
        guard subscription == nil else { return }
        subscription = node.events.subscribe(queue: queue) { [weak self] events in self?.fanOut(events) }
    }

    private func fanOut(_ events: [TimedEvent]) {
        let subscribers = connections.values.filter { $0.subscribed && !$0.isClosed }
        guard !subscribers.isEmpty else {
            // The last subscriber is gone: stop the node building events for nobody.
            subscription?.cancel()
            subscription = nil
            return
        }
        let per = max(1, configuration.limits.eventsPerLine)
        var start = 0
        while start < events.count {
            let end = min(events.count, start + per)
            let line = ControlProtocol.line(ServerMessage.events(Array(events[start..<end])))
            for c in subscribers { c.send(line) }
            start = end
        }
    }

    private func snapshotTick() {
        let ready = connections.values.filter { $0.subscribed && !$0.isClosed && !$0.snapshotQueued }
        guard !ready.isEmpty else { return }
        let snapshot = makeSnapshot()
        for c in ready { c.sendSnapshot(snapshot) }
    }

    // MARK: On a client's queue

    private func handle(_ line: [UInt8], from connection: ControlConnection) {
        let message: ClientMessage
        do {
            message = try ControlProtocol.decode(ClientMessage.self, line)
        } catch {
            if connection.helloDone {
                connection.send(ControlProtocol.line(ServerMessage.error("bad message: \(error)")))
            } else {
                connection.close(reason: "the first message must be hello (bad message: \(error))")
            }
            return
        }
        if case .hello = message {
        } else if !connection.helloDone {
            connection.close(reason: "the first message must be hello")
            return
        }
        switch message {
        case .hello(let version):
            guard version == ControlProtocol.version else {
                connection.close(reason: "protocol version \(version) is not supported (this node speaks \(ControlProtocol.version))")
                return
            }
            connection.helloDone = true
            connection.send(
                ControlProtocol.line(
                    ServerMessage.welcome(
                        version: ControlProtocol.version,
                        nodeVersion: configuration.version, pid: getpid())))
        case .status:
            connection.send(ControlProtocol.line(ServerMessage.status(status())))
        case .subscribe:
            connection.sendSnapshot(makeSnapshot())
            connection.subscribed = true
            // After `subscribed`: a batch reaching fanOut finds this subscriber and keeps the
            // subscription.
            queue.async { self.subscribeToNodeEvents() }
        case .command(let id, let command, let layer):
            guard connection.commandsInFlight < configuration.limits.maxCommandsInFlight else {
                connection.send(
                    ControlProtocol.line(
                        ServerMessage.outcome(
                            id: id,
                            .failure(
                                "\(configuration.limits.maxCommandsInFlight) commands already running on this connection"))))
                return
            }
            connection.commandsInFlight += 1
            backend.run(
                command, layer: layer,
                progress: { [weak connection] text in
                    connection?.send(ControlProtocol.line(ServerMessage.progress(id: id, line: text)))
                },
                completion: { [weak connection] outcome in
                    guard let connection else { return }
                    connection.send(ControlProtocol.line(ServerMessage.outcome(id: id, outcome)))
                    connection.queue.async { connection.commandsInFlight -= 1 }
                })
        }
    }
}
