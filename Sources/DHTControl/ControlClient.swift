import Dispatch
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A connection to a node's control socket, for `dhtop status` and `dhtop attach`.
///
/// Contract: `connect`, `status` and `next` block the calling thread (with timeouts); after
/// `startReading` every message arrives on the client's private serial queue instead, and the
/// blocking calls must no longer be used. Streamed snapshots (`snapshot_begin`/`_part`/`_end`)
/// are reassembled here, within `Limits.maxSnapshotBytes`, and handed on as one `snapshot`.
/// `onClose` is called as soon as the socket reaches end of stream or fails, with the node's
/// last `error` line when it sent one. `send` may be called from any thread. `close` is
/// idempotent and leaves the node running. Reads no clock besides `poll` timeouts.
public final class ControlClient: @unchecked Sendable {
    /// What this client accepts from the node. A value type.
    public struct Limits: Sendable, Hashable {
        /// The longest line.
        public var maxLineBytes = ControlProtocol.maxServerLineBytes
        /// All lines of one streamed snapshot together.
        public var maxSnapshotBytes = 1 << 30
        public init() {}
    }

    public let path: String
    /// What the node said in `welcome`.
    public private(set) var nodeVersion = ""
    public private(set) var nodePID: Int32 = 0
    private let fd: Int32
    private let queue = DispatchQueue(label: "dhtop.control.client")
    /// True once closed (by `close` or by the node); guards every use of `fd` after that.
    private let closedLock = Mutex<Bool>(false)
    private var splitter: LineSplitter
    private var assembler: SnapshotAssembler
    private var ready: [[UInt8]] = []
    private var source: DispatchSourceRead?
    private var lastError: String?

    private init(path: String, fd: Int32, limits: Limits) {
        self.path = path
        self.fd = fd
        splitter = LineSplitter(limit: limits.maxLineBytes)
        assembler = SnapshotAssembler(maxBytes: limits.maxSnapshotBytes)
    }

    /// Connects and says hello; throws with the node's refusal, or "no node" when nothing listens.
    public static func connect(path: String, timeoutMillis: Int32 = 5000, limits: Limits = Limits()) throws(ControlError) -> ControlClient {
        let fd: Int32
        do {
            fd = try UnixSocket.connect(path: path)
        } catch {
            throw ControlError("no node is running at \(path) (\(error.message.split(separator: ":").last.map { $0.trimmingCharacters() } ?? error.message))")
        }
        let client = ControlClient(path: path, fd: fd, limits: limits)
        client.send(.hello(version: ControlProtocol.version))
        let answer: ServerMessage
        do {
            answer = try client.next(timeoutMillis: timeoutMillis)
        } catch {
            client.close()
            throw error
        }
        switch answer {
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
        return closedLock.withLock { closed in closed ? false : UnixSocket.writeAll(fd, line) }
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

    /// The next message (a streamed snapshot as one `snapshot`), blocking up to `timeoutMillis`
    /// for each read.
    public func next(timeoutMillis: Int32) throws(ControlError) -> ServerMessage {
        while true {
            while ready.isEmpty {
                guard UnixSocket.waitReadable(fd, milliseconds: timeoutMillis) else { throw ControlError("the node did not answer in time") }
                switch readLines() {
                case .lines(let lines): ready.append(contentsOf: lines)
                case .drained: continue
                case .closed(let reason): throw ControlError(reason)
                }
            }
            let line = ready.removeFirst()
            let message: ServerMessage
            do {
                message = try ControlProtocol.decode(ServerMessage.self, line)
            } catch {
                throw ControlError("bad message from the node: \(error)")
            }
            if let whole = try reassemble(message, lineBytes: line.count) { return whole }
        }
    }

    /// Delivers every further message to `handler` on the client's queue; `onClose` runs once,
    /// as soon as the node goes away (end of stream, a socket error, a protocol violation),
    /// never after `close`.
    public func startReading(
        _ handler: @escaping @Sendable (ServerMessage) -> Void,
        onClose: @escaping @Sendable (String) -> Void
    ) {
        queue.async {
            let pending = self.ready
            self.ready.removeAll()
            if let failure = self.deliver(pending, to: handler) {
                self.lost(failure, onClose)
                return
            }
            guard !self.closedLock.withLock({ $0 }) else { return }
            // Non-blocking from here: a spurious wake-up must never park the queue in recv.
            UnixSocket.setNonBlocking(self.fd)
            let source = DispatchSource.makeReadSource(fileDescriptor: self.fd, queue: self.queue)
            source.setEventHandler { [weak self] in self?.drain(handler, onClose) }
            source.setCancelHandler { [fd = self.fd] in Glibc.close(fd) }
            self.source = source
            source.resume()
        }
    }

    /// Closes the connection (the node keeps running).
    public func close() {
        let first = closedLock.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        queue.async {
            if let source = self.source { source.cancel() } else { Glibc.close(self.fd) }
        }
    }

    // MARK: Private

    /// On `queue`: reads until the socket would block or ends. On Linux a hang-up may be reported
    /// once, together with the node's last lines: reading only part of it would leave the end of
    /// the stream unseen and the console attached to nothing. After 64 reads it yields the queue
    /// and carries on in a new turn.
    private func drain(_ handler: @escaping @Sendable (ServerMessage) -> Void, _ onClose: @escaping @Sendable (String) -> Void) {
        for _ in 0..<64 {
            guard !closedLock.withLock({ $0 }) else { return }
            switch readLines() {
            case .closed(let reason):
                lost(reason, onClose)
                return
            case .drained:
                return
            case .lines(let lines):
                if let failure = deliver(lines, to: handler) {
                    lost(failure, onClose)
                    return
                }
            }
        }
        queue.async { self.drain(handler, onClose) }
    }

    /// On `queue`: the node is gone; closes once and reports unless `close` came first.
    private func lost(_ reason: String, _ onClose: @Sendable (String) -> Void) {
        let first = closedLock.withLock { closed -> Bool in
            defer { closed = true }
            return !closed
        }
        guard first else { return }
        shutdown(fd, Int32(SHUT_RDWR))
        if let source { source.cancel() } else { Glibc.close(fd) }
        onClose(lastError.map { "\(reason): \($0)" } ?? reason)
    }

    /// Decodes and hands on lines; the reason to give up, if any.
    private func deliver(_ lines: [[UInt8]], to handler: @Sendable (ServerMessage) -> Void) -> String? {
        for line in lines {
            guard let message = try? ControlProtocol.decode(ServerMessage.self, line) else { continue }
            do {
                if let whole = try reassemble(message, lineBytes: line.count) { handler(whole) }
            } catch {
                return error.message
            }
        }
        return nil
    }

    /// Feeds snapshot pieces to the assembler; other messages pass through.
    private func reassemble(_ message: ServerMessage, lineBytes: Int) throws(ControlError) -> ServerMessage? {
        switch message {
        case .snapshotBegin(let seq, let header, let counts):
            try assembler.begin(seq: seq, header, recordCounts: counts, lineBytes: lineBytes)
            return nil
        case .snapshotPart(let seq, let layer, let records):
            try assembler.part(seq: seq, layer: layer, records, lineBytes: lineBytes)
            return nil
        case .snapshotEnd(let seq):
            return .snapshot(try assembler.end(seq: seq))
        case .error(let text):
            lastError = text
            return message
        default:
            return message
        }
    }

    private enum Read {
        case lines([[UInt8]])
        /// Nothing more to read now (non-blocking mode).
        case drained
        case closed(String)
    }

    /// Reads what is available.
    private func readLines() -> Read {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && errno == EAGAIN { return .drained }
            if n < 0 { return .closed("connection to the node failed: \(String(cString: strerror(errno)))") }
            if n == 0 { return .closed("the node closed the connection") }
            guard let lines = splitter.feed(buffer[0..<n]) else {
                return .closed("the node sent a line over \(splitter.limit) bytes")
            }
            return .lines(lines)
        }
    }
}

extension Substring {
    fileprivate func trimmingCharacters() -> String { String(drop { $0 == " " }) }
}
