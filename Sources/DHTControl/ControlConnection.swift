import NodeAPI
import Dispatch
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// One accepted client of the control server: reads its lines, writes through a queue charged
/// to the server's `SendBudget`, and enforces `ControlLimits`' deadlines.
///
/// Contract: everything runs on the connection's own serial queue; `send`, `sendSnapshot` and
/// `close` may be called from any thread and never block. A client is closed, after a final
/// `error` line when the socket takes it, when it sends no `hello` within the handshake
/// timeout, sends an over-long line, idles unsubscribed, reads nothing for the stall timeout or
/// would exceed its share of the budget (or is evicted to keep the total within it). A snapshot
/// is streamed in parts produced only as the client reads, and at most one is queued at a time.
/// Reads the monotonic clock (`DispatchTime`) for its deadlines.
final class ControlConnection: @unchecked Sendable {
    private enum Item {
        case line([UInt8])
        case snapshot(SnapshotStream)
    }

    let id: Int
    let queue: DispatchQueue
    private let fd: Int32
    private let limits: ControlLimits
    private let budget: SendBudget
    private var splitter = LineSplitter(limit: ControlProtocol.maxClientLineBytes)
    private var items: [Item] = []
    private var head = 0
    private var current: [UInt8] = []
    private var currentOffset = 0
    private var currentCharge = 0
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var timer: DispatchSourceTimer?
    private var writeResumed = false
    private var closed = false
    private var sourcesCancelled = 0
    private let acceptedAt: UInt64
    private var lastLineAt: UInt64
    private var lastProgressAt: UInt64
    private var snapshotSeq = 0
    private let subscribedFlag = Atomic<Bool>(false)
    private let helloFlag = Atomic<Bool>(false)
    private let snapshotQueuedFlag = Atomic<Bool>(false)
    private let closing = Atomic<Bool>(false)
    /// Commands started and not yet answered; on `queue`.
    var commandsInFlight = 0
    /// Lines received, called on `queue`.
    var onLine: (@Sendable ([UInt8]) -> Void)?
    /// Called once on `queue` when the connection is gone, with the reason.
    var onClose: (@Sendable (String) -> Void)?

    init(id: Int, fd: Int32, limits: ControlLimits, budget: SendBudget) {
        self.id = id
        self.fd = fd
        self.limits = limits
        self.budget = budget
        self.queue = DispatchQueue(label: "dhtop.control.client.\(id)")
        acceptedAt = Self.now()
        lastLineAt = acceptedAt
        lastProgressAt = acceptedAt
        UnixSocket.setNonBlocking(fd)
        budget.register(id) { [weak self] reason in self?.close(reason: reason) }
    }

    /// Whether the client asked for the event stream.
    var subscribed: Bool {
        get { subscribedFlag.load(ordering: .acquiring) }
        set { subscribedFlag.store(newValue, ordering: .releasing) }
    }

    /// Whether the client completed its `hello`.
    var helloDone: Bool {
        get { helloFlag.load(ordering: .acquiring) }
        set { helloFlag.store(newValue, ordering: .releasing) }
    }

    /// Whether a snapshot is queued or streaming (a new one is not queued until it ends).
    var snapshotQueued: Bool { snapshotQueuedFlag.load(ordering: .acquiring) }

    var isClosed: Bool { closing.load(ordering: .acquiring) }

    func start() {
        queue.async {
            guard !self.closed else { return }
            let r = DispatchSource.makeReadSource(fileDescriptor: self.fd, queue: self.queue)
            r.setEventHandler { [weak self] in self?.readAvailable() }
            r.setCancelHandler { [self] in self.sourceCancelled() }
            r.resume()
            self.readSource = r
            let w = DispatchSource.makeWriteSource(fileDescriptor: self.fd, queue: self.queue)
            w.setEventHandler { [weak self] in self?.pump() }
            w.setCancelHandler { [self] in self.sourceCancelled() }
            self.writeSource = w
            let t = DispatchSource.makeTimerSource(queue: self.queue)
            let every = DispatchTimeInterval.nanoseconds(Int(clamping: max(1_000_000, self.limits.checkInterval.saturatingNanoseconds)))
            t.schedule(deadline: .now() + every, repeating: every)
            t.setEventHandler { [weak self] in self?.checkDeadlines() }
            t.resume()
            self.timer = t
        }
    }

    /// Queues one line for the client.
    func send(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        queue.async { self.enqueue(bytes) }
    }

    /// Queues a snapshot unless one is already queued (a full picture replaces a missed one).
    func sendSnapshot(_ snapshot: NodeSnapshot) {
        guard !isClosed else { return }
        queue.async {
            guard !self.closed, !self.snapshotQueued else { return }
            self.snapshotSeq += 1
            self.snapshotQueuedFlag.store(true, ordering: .releasing)
            if !self.hasPending { self.lastProgressAt = Self.now() }
            self.items.append(.snapshot(SnapshotStream(seq: self.snapshotSeq, snapshot: snapshot, partBytes: self.limits.snapshotPartBytes)))
            self.pump()
        }
    }

    /// Closes after a final `error` line with `reason` (sent only if the socket takes it at once).
    func close(reason: String) {
        closing.store(true, ordering: .releasing)
        queue.async { self.closeWithError(reason) }
    }

    // MARK: On `queue`

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private var hasPending: Bool { currentOffset < current.count || head < items.count }

    private func enqueue(_ bytes: [UInt8]) {
        guard !closed else { return }
        guard charge(bytes.count) else { return }
        if !hasPending { lastProgressAt = Self.now() }
        items.append(.line(bytes))
        pump()
    }

    /// Charges the budget; closes the client and returns false when it may not have the bytes.
    private func charge(_ bytes: Int) -> Bool {
        switch budget.charge(id, bytes) {
        case .accepted: return true
        case .overClientLimit(let pending):
            closeWithError("too slow: \(pending) bytes unread, over this client's \(budget.perClient)-byte share of the send budget")
        case .overTotal:
            closeWithError("too slow: the control clients' \(budget.total)-byte send budget is full")
        case .gone:
            closeWithError("too slow")
        }
        return false
    }

    private func pump() {
        while !closed {
            if currentOffset >= current.count {
                budget.release(id, currentCharge)
                currentCharge = 0
                current = []
                currentOffset = 0
                guard takeNext() else {
                    if writeResumed {
                        writeResumed = false
                        writeSource?.suspend()
                    }
                    return
                }
                continue
            }
            let n = current[currentOffset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    if !writeResumed {
                        writeResumed = true
                        writeSource?.resume()
                    }
                    return
                }
                closeNow("write error: \(String(cString: strerror(errno)))")
                return
            }
            currentOffset += n
            lastProgressAt = Self.now()
        }
    }

    /// Moves the next line into `current`; false when there is none (or the client was closed).
    private func takeNext() -> Bool {
        while head < items.count {
            switch items[head] {
            case .line(let bytes):
                items[head] = .line([])
                advance()
                current = bytes
                currentCharge = bytes.count
                return true
            case .snapshot(var stream):
                items[head] = .line([])
                guard let line = stream.nextLine() else {
                    advance()
                    snapshotQueuedFlag.store(false, ordering: .releasing)
                    continue
                }
                items[head] = .snapshot(stream)
                guard charge(line.count) else { return false }
                current = line
                currentCharge = line.count
                return true
            }
        }
        return false
    }

    private func advance() {
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: items.count < 1024)
            head = 0
        } else if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
    }

    private func checkDeadlines() {
        guard !closed else { return }
        let now = Self.now()
        if !helloDone {
            if now &- acceptedAt >= limits.handshakeTimeout.saturatingNanoseconds {
                closeWithError("no hello within \(limits.handshakeTimeout)")
            }
            return
        }
        if hasPending {
            if now &- lastProgressAt >= limits.stallTimeout.saturatingNanoseconds {
                closeWithError("stalled: nothing read for \(limits.stallTimeout)")
            }
            return
        }
        if !subscribed && commandsInFlight == 0 && now &- lastLineAt >= limits.idleTimeout.saturatingNanoseconds {
            closeWithError("idle for \(limits.idleTimeout) (not subscribed, no command running)")
        }
    }

    private func readAvailable() {
        guard !closed else { return }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 {
            closeNow("disconnected")
            return
        }
        if n < 0 {
            if errno == EAGAIN || errno == EINTR { return }
            closeNow("read error: \(String(cString: strerror(errno)))")
            return
        }
        guard let lines = splitter.feed(buffer[0..<n]) else {
            closeWithError("line too long (over \(ControlProtocol.maxClientLineBytes) bytes)")
            return
        }
        for line in lines where !line.isEmpty {
            lastLineAt = Self.now()
            onLine?(line)
            if closed { return }
        }
    }

    /// Drops what is queued, tries once to send `message` as an `error` line, and closes.
    private func closeWithError(_ message: String) {
        guard !closed else { return }
        var last: [UInt8] = currentOffset > 0 && currentOffset < current.count ? [0x0a] : []
        last.append(contentsOf: ControlProtocol.line(ServerMessage.error(message)))
        _ = last.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        closeNow(message)
    }

    private func closeNow(_ reason: String) {
        guard !closed else { return }
        closed = true
        closing.store(true, ordering: .releasing)
        budget.unregister(id)
        items = []
        current = []
        timer?.cancel()
        shutdown(fd, Int32(SHUT_RDWR))
        if let r = readSource, let w = writeSource {
            r.cancel()
            if !writeResumed { w.resume() }
            w.cancel()
        } else {
            Glibc.close(fd)
        }
        onClose?(reason)
        onClose = nil
        onLine = nil
    }

    /// The descriptor is closed once both sources are cancelled (never under a live source).
    private func sourceCancelled() {
        sourcesCancelled += 1
        if sourcesCancelled == 2 { Glibc.close(fd) }
    }
}
