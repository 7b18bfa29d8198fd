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

/// The node side of `dhtop attach` and `dhtop status`: a Unix stream socket (0600 in a 0700
/// directory) that only the node's own uid may use (checked with `SO_PEERCRED`).
///
/// Contract: accepting, the event fan-out and the snapshot timer run on the server's private
/// serial queue; each client has its own queue and a bounded send buffer (see
/// `ControlConnection`), so no client can slow the node down. Snapshots are built with a short
/// synchronous block on the node's queue. Reads the node's clock for snapshots and event stamps.
public final class ControlServer: @unchecked Sendable {
    /// Settings; a value type.
    public struct Configuration: Sendable {
        public var socketPath: String
        /// How often subscribers get a full snapshot.
        public var snapshotInterval: Duration = .seconds(1)
        /// Unsent bytes after which a client is disconnected as too slow.
        public var sendBufferLimit = 16 << 20
        public var maxClients = 32
        /// Reported in `welcome` and `status`.
        public var version = "dhtop"
        public var policy = ControlAccessPolicy()
        public init(socketPath: String) { self.socketPath = socketPath }
    }

    public let configuration: Configuration
    public let node: DHTNode
    private let backend: any NodeBackend
    private let makeSnapshot: @Sendable () -> NodeSnapshot
    private let queue = DispatchQueue(label: "dhtop.control.server")
    private var listenFD: Int32 = -1
    private var acceptSource: DispatchSourceRead?
    private var timer: DispatchSourceTimer?
    private var subscription: EventHub.Subscription?
    private var connections: [Int: ControlConnection] = [:]
    private var nextID = 1
    private let clients = Atomic<Int>(0)

    /// `backend` runs prompt commands (default: `LocalNodeBackend`, as the local console uses);
    /// `snapshot` builds the console's picture (default: `NodeSnapshotBuilder`).
    public init(node: DHTNode, configuration: Configuration, backend: (any NodeBackend)? = nil,
                snapshot: (@Sendable () -> NodeSnapshot)? = nil) {
        self.node = node
        self.configuration = configuration
        self.backend = backend ?? LocalNodeBackend(node: node)
        let source = NodeSnapshotBuilder(node: node)
        self.makeSnapshot = snapshot ?? { source.snapshot() }
    }

    /// Clients connected now.
    public var clientCount: Int { clients.load(ordering: .relaxed) }

    /// Creates the directory (0700) and the socket (0600) and starts accepting.
    public func start() throws(ControlError) {
        try ControlPaths.prepareDirectory(for: configuration.socketPath)
        let fd = try UnixSocket.listen(path: configuration.socketPath)
        queue.sync {
            listenFD = fd
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { [weak self] in self?.acceptAll() }
            source.resume()
            acceptSource = source
            subscription = node.events.subscribe(queue: queue) { [weak self] events in self?.fanOut(events) }
            let t = DispatchSource.makeTimerSource(queue: queue)
            let interval = DispatchTimeInterval.nanoseconds(Int(configuration.snapshotInterval.nanoseconds))
            t.schedule(deadline: .now() + interval, repeating: interval)
            t.setEventHandler { [weak self] in self?.snapshotTick() }
            t.resume()
            timer = t
        }
    }

    /// Disconnects every client, stops accepting and removes the socket file. The node keeps running.
    public func stop() {
        queue.sync {
            acceptSource?.cancel()
            acceptSource = nil
            timer?.cancel()
            timer = nil
            subscription?.cancel()
            subscription = nil
            for c in connections.values { c.close(reason: "server stopping") }
            connections.removeAll()
            if listenFD >= 0 {
                close(listenFD)
                listenFD = -1
                unlink(configuration.socketPath)
            }
        }
    }

    /// The status report now (any thread).
    public func status() -> StatusReport {
        let snapshot = makeSnapshot()
        let node = self.node
        let extras = node.withEngine { engine in
            StatusReport.Extras(version: configuration.version, pid: getpid(), udpPort: node.port,
                                nodeItems: Dictionary(uniqueKeysWithValues: engine.layerIDs.map { ($0, engine.nodeDataCount(layer: $0)) }),
                                rateLimit: engine.rateLimitStatus, storage: node.storageCommits, controlClients: clientCount)
        }
        return StatusReport(snapshot: snapshot, extras: extras)
    }

    // MARK: On the server's queue

    private func acceptAll() {
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
            guard connections.count < configuration.maxClients else {
                refuse(fd, "refused: \(configuration.maxClients) clients already attached")
                continue
            }
            let connection = ControlConnection(id: nextID, fd: fd, sendLimit: configuration.sendBufferLimit)
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

    private func fanOut(_ events: [NodeEvent]) {
        let subscribers = connections.values.filter { $0.subscribed && !$0.isClosed }
        guard !subscribers.isEmpty else { return }
        let line = ControlProtocol.line(ServerMessage.events(events, at: node.clock.now()))
        for c in subscribers { c.send(line) }
    }

    private func snapshotTick() {
        let subscribers = connections.values.filter { $0.subscribed && !$0.isClosed }
        guard !subscribers.isEmpty else { return }
        let line = ControlProtocol.line(ServerMessage.snapshot(makeSnapshot()))
        for c in subscribers { c.send(line) }
    }

    // MARK: On a client's queue

    private func handle(_ line: [UInt8], from connection: ControlConnection) {
        let message: ClientMessage
        do {
            message = try ControlProtocol.decode(ClientMessage.self, line)
        } catch {
            connection.send(ControlProtocol.line(ServerMessage.error("bad message: \(error)")))
            return
        }
        switch message {
        case .hello(let version):
            guard version == ControlProtocol.version else {
                connection.sendAndClose(ControlProtocol.line(ServerMessage.error(
                    "protocol version \(version) is not supported (this node speaks \(ControlProtocol.version))")), reason: "version")
                return
            }
            connection.send(ControlProtocol.line(ServerMessage.welcome(version: ControlProtocol.version,
                                                                       nodeVersion: configuration.version, pid: getpid())))
        case .status:
            connection.send(ControlProtocol.line(ServerMessage.status(status())))
        case .subscribe:
            connection.send(ControlProtocol.line(ServerMessage.snapshot(makeSnapshot())))
            connection.subscribed = true
        case .command(let id, let command):
            backend.run(command, layer: 0, progress: { [weak connection] text in
                connection?.send(ControlProtocol.line(ServerMessage.progress(id: id, line: text)))
            }, completion: { [weak connection] outcome in
                connection?.send(ControlProtocol.line(ServerMessage.outcome(id: id, outcome)))
            })
        }
    }
}
