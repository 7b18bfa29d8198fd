import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A connection to a node's control socket, for `dhtop status` and `dhtop attach`.
///
/// Contract: `connect`, `status` and `next` block the calling thread (with timeouts); after
/// `startReading` every message arrives on the client's private serial queue instead, and the
/// blocking calls must no longer be used. `send` may be called from any thread. `close` is
/// idempotent and leaves the node running. Reads no clock besides `poll` timeouts.
public final class ControlClient: @unchecked Sendable {
    public let path: String
    /// What the node said in `welcome`.
    public private(set) var nodeVersion = ""
    public private(set) var nodePID: Int32 = 0
    private let fd: Int32
    private let queue = DispatchQueue(label: "dhtop.control.client")
    private let sendLock = Mutex<Bool>(false)
    private var splitter = LineSplitter(limit: ControlProtocol.maxServerLineBytes)
    private var ready: [[UInt8]] = []
    private var source: DispatchSourceRead?

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Connects and says hello; throws with the node's refusal, or "no node" when nothing listens.
    public static func connect(path: String, timeoutMillis: Int32 = 5000) throws(ControlError) -> ControlClient {
        let fd: Int32
        do {
            fd = try UnixSocket.connect(path: path)
        } catch {
            throw ControlError("no node is running at \(path) (\(error.message.split(separator: ":").last.map { $0.trimmingCharacters() } ?? error.message))")
        }
        let client = ControlClient(path: path, fd: fd)
        client.send(.hello(version: ControlProtocol.version))
        switch try client.next(timeoutMillis: timeoutMillis) {
        case .welcome(_, let version, let pid):
            client.nodeVersion = version
            client.nodePID = pid
            return client
        case .error(let message):
            client.close()
            throw ControlError(message)
        default:
            client.close()
            throw ControlError("unexpected answer to hello from \(path)")
        }
    }

    /// Sends one message; false when the connection is gone.
    @discardableResult
    public func send(_ message: ClientMessage) -> Bool {
        let line = ControlProtocol.line(message)
        return sendLock.withLock { closed in closed ? false : UnixSocket.writeAll(fd, line) }
    }

    /// Asks for and waits for one status report.
    public func status(timeoutMillis: Int32 = 5000) throws(ControlError) -> StatusReport {
        guard send(.status) else { throw ControlError("the node closed the connection") }
        while true {
            switch try next(timeoutMillis: timeoutMillis) {
            case .status(let report): return report
            case .error(let message): throw ControlError(message)
            default: continue
            }
        }
    }

    /// The next message, blocking up to `timeoutMillis`.
    public func next(timeoutMillis: Int32) throws(ControlError) -> ServerMessage {
        while ready.isEmpty {
            guard UnixSocket.waitReadable(fd, milliseconds: timeoutMillis) else { throw ControlError("the node did not answer in time") }
            guard let lines = readLines() else { throw ControlError("the node closed the connection") }
            ready.append(contentsOf: lines)
        }
        let line = ready.removeFirst()
        do {
            return try ControlProtocol.decode(ServerMessage.self, line)
        } catch {
            throw ControlError("bad message from the node: \(error)")
        }
    }

    /// Delivers every further message to `handler` on the client's queue; `onClose` runs once
    /// when the node goes away or `close` is called.
    public func startReading(_ handler: @escaping @Sendable (ServerMessage) -> Void,
                             onClose: @escaping @Sendable (String) -> Void) {
        queue.async {
            for line in self.ready {
                if let m = try? ControlProtocol.decode(ServerMessage.self, line) { handler(m) }
            }
            self.ready.removeAll()
            let source = DispatchSource.makeReadSource(fileDescriptor: self.fd, queue: self.queue)
            source.setEventHandler { [weak self] in
                guard let self else { return }
                guard let lines = self.readLines() else {
                    source.cancel()
                    onClose("the node closed the connection")
                    return
                }
                for line in lines {
                    if let m = try? ControlProtocol.decode(ServerMessage.self, line) { handler(m) }
                }
            }
            source.setCancelHandler { [fd = self.fd] in Glibc.close(fd) }
            self.source = source
            source.resume()
        }
    }

    /// Closes the connection (the node keeps running).
    public func close() {
        let first = sendLock.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        queue.async {
            if let source = self.source { source.cancel() } else { Glibc.close(self.fd) }
        }
    }

    /// Reads what is available; nil at end of stream or on error.
    private func readLines() -> [[UInt8]]? {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return nil }
            return splitter.feed(buffer[0..<n])
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String { String(drop { $0 == " " }) }
}
