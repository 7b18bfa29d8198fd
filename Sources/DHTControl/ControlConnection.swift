import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One accepted client of the control server: reads its lines, writes through a bounded buffer.
///
/// Contract: everything runs on the connection's own serial queue; `send` may be called from
/// any thread and never blocks. A client whose unsent bytes exceed `sendLimit` (it is stalled or
/// too slow) is disconnected, so it can never stall the node. Reads no clock.
final class ControlConnection: @unchecked Sendable {
    let id: Int
    let queue: DispatchQueue
    private let fd: Int32
    private let sendLimit: Int
    private var splitter = LineSplitter(limit: ControlProtocol.maxClientLineBytes)
    private var outgoing: [UInt8] = []
    private var outgoingOffset = 0
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var writeResumed = false
    private var closed = false
    private let subscribedFlag = Atomic<Bool>(false)
    private let closing = Atomic<Bool>(false)
    /// Lines received, called on `queue`.
    var onLine: (@Sendable ([UInt8]) -> Void)?
    /// Called once on `queue` when the connection is gone, with the reason.
    var onClose: (@Sendable (String) -> Void)?

    init(id: Int, fd: Int32, sendLimit: Int) {
        self.id = id
        self.fd = fd
        self.sendLimit = sendLimit
        self.queue = DispatchQueue(label: "dhtop.control.client.\(id)")
        UnixSocket.setNonBlocking(fd)
    }

    /// Whether the client asked for the event stream.
    var subscribed: Bool {
        get { subscribedFlag.load(ordering: .acquiring) }
        set { subscribedFlag.store(newValue, ordering: .releasing) }
    }

    var isClosed: Bool { closing.load(ordering: .acquiring) }

    func start() {
        queue.async {
            let r = DispatchSource.makeReadSource(fileDescriptor: self.fd, queue: self.queue)
            r.setEventHandler { [weak self] in self?.readAvailable() }
            r.resume()
            self.readSource = r
            let w = DispatchSource.makeWriteSource(fileDescriptor: self.fd, queue: self.queue)
            w.setEventHandler { [weak self] in self?.flush() }
            self.writeSource = w
        }
    }

    /// Queues bytes for the client.
    func send(_ bytes: [UInt8]) {
        guard !isClosed else { return }
        queue.async {
            guard !self.closed else { return }
            let pending = self.outgoing.count - self.outgoingOffset
            if pending > 0 && pending + bytes.count > self.sendLimit {
                self.close(reason: "too slow: \(pending) bytes unsent")
                return
            }
            self.outgoing.append(contentsOf: bytes)
            self.flush()
        }
    }

    /// Sends one message then closes once it is written (or the buffer is abandoned).
    func sendAndClose(_ bytes: [UInt8], reason: String) {
        queue.async {
            guard !self.closed else { return }
            self.outgoing.append(contentsOf: bytes)
            self.flush()
            self.close(reason: reason)
        }
    }

    func close(reason: String) {
        closing.store(true, ordering: .releasing)
        queue.async { self.closeNow(reason) }
    }

    private func closeNow(_ reason: String) {
        guard !closed else { return }
        closed = true
        closing.store(true, ordering: .releasing)
        readSource?.cancel()
        if let w = writeSource {
            if !writeResumed { w.resume() }
            w.cancel()
        }
        Glibc.close(fd)
        outgoing = []
        onClose?(reason)
        onClose = nil
        onLine = nil
    }

    private func readAvailable() {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { closeNow("disconnected"); return }
        if n < 0 {
            if errno == EAGAIN || errno == EINTR { return }
            closeNow("read error: \(String(cString: strerror(errno)))")
            return
        }
        guard let lines = splitter.feed(buffer[0..<n]) else {
            outgoing.append(contentsOf: ControlProtocol.line(ServerMessage.error("line too long")))
            flush()
            closeNow("line too long")
            return
        }
        for line in lines where !line.isEmpty { onLine?(line) }
    }

    private func flush() {
        while outgoingOffset < outgoing.count {
            let n = outgoing[outgoingOffset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    if !writeResumed { writeResumed = true; writeSource?.resume() }
                    return
                }
                closeNow("write error: \(String(cString: strerror(errno)))")
                return
            }
            outgoingOffset += n
        }
        outgoing.removeAll(keepingCapacity: outgoing.count < 1 << 20)
        outgoingOffset = 0
        if writeResumed { writeResumed = false; writeSource?.suspend() }
    }
}
