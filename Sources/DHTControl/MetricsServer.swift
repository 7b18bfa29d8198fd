import Dispatch
import FoundationEssentials
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// `--metrics 127.0.0.1:PORT`: a tiny HTTP/1.0 server answering `GET /metrics` with
/// `PrometheusText`, anything else 404. Loopback only (the caller validates the host).
///
/// Contract: everything (accepting, reading, `render`, writing, deadlines) runs on one private
/// serial queue with non-blocking sockets, so no client can hold a thread. Each connection has
/// one deadline, `Limits.requestTimeout` from accept for the whole request headers and as long
/// again to take the answer, then it is closed however many bytes it trickles; requests are
/// capped at `maxRequestBytes`; at most `maxConnections` are open and a new one evicts the
/// oldest, so a prompt scrape is answered while slow clients exist. Reads the monotonic clock.
public final class MetricsServer: @unchecked Sendable {
    /// A value type.
    public struct Limits: Sendable, Hashable {
        public var requestTimeout: Duration = .seconds(5)
        public var maxConnections = 8
        public var maxRequestBytes = 16_384
        /// How often deadlines are checked.
        public var checkInterval: Duration = .milliseconds(250)
        public init() {}
    }

    private final class Connection {
        let fd: Int32
        let serial: Int
        var deadline: UInt64
        var request: [UInt8] = []
        var response: [UInt8] = []
        var responseOffset = 0
        var answering = false
        var read: DispatchSourceRead?
        var write: DispatchSourceWrite?
        var writeResumed = false
        /// Sources still to be cancelled before the descriptor may be closed.
        var liveSources = 0
        init(fd: Int32, serial: Int, deadline: UInt64) {
            self.fd = fd
            self.serial = serial
            self.deadline = deadline
        }
    }

    public let port: UInt16
    public let limits: Limits
    public var maxConnections: Int { limits.maxConnections }
    private let render: @Sendable () -> String
    private let queue = DispatchQueue(label: "dhtop.metrics")
    private var fd: Int32 = -1
    private var source: DispatchSourceRead?
    private var timer: DispatchSourceTimer?
    private var connections: [Int32: Connection] = [:]
    private var serial = 0
    private let open = Atomic<Int>(0)
    private let evictedCount = Atomic<Int>(0)
    private let timedOutCount = Atomic<Int>(0)

    /// Binds 127.0.0.1:`port` (0 picks one; see `port` after).
    public init(port: UInt16, limits: Limits = Limits(), render: @escaping @Sendable () -> String) throws(ControlError) {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw .errno("socket") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(s, 16) == 0 else {
            let e = ControlError.errno("metrics on 127.0.0.1:\(port)")
            close(s)
            throw e
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        self.port = UInt16(bigEndian: addr.sin_port)
        self.limits = limits
        self.render = render
        self.fd = s
        UnixSocket.setNonBlocking(s)
    }

    /// Connections open now.
    public var openConnections: Int { open.load(ordering: .relaxed) }
    /// Connections closed to make room for a newer one.
    public var evictedConnections: Int { evictedCount.load(ordering: .relaxed) }
    /// Connections closed at their deadline.
    public var timedOutConnections: Int { timedOutCount.load(ordering: .relaxed) }

    public func start() {
        queue.sync {
            let src = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            src.setEventHandler { [weak self] in self?.acceptAll() }
            src.setCancelHandler { [fd = self.fd] in close(fd) }
            src.resume()
            source = src
            let every = DispatchTimeInterval.nanoseconds(Int(clamping: max(1_000_000, limits.checkInterval.saturatingNanoseconds)))
            timer = ListeningSource.repeatingTimer(on: queue, every: every) { [weak self] in self?.expire() }
        }
    }

    /// Closes every connection and returns once the listening descriptor is closed (the
    /// descriptor is closed by its source's cancel handler, never under a live source).
    public func stop() {
        let closed = DispatchSemaphore(value: 0)
        let wait = queue.sync { () -> Bool in
            timer?.cancel()
            timer = nil
            for c in Array(connections.values) { finish(c) }
            guard let src = source else {
                if fd >= 0 {
                    close(fd)
                    fd = -1
                }
                return false
            }
            ListeningSource.cancel(src, closing: fd, then: closed)
            source = nil
            fd = -1
            return true
        }
        if wait { closed.wait() }
    }

    // MARK: On `queue`

    private static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    private func acceptAll() {
        while fd >= 0 {
            let c = accept(fd, nil, nil)
            guard c >= 0 else { if errno == EINTR { continue } else { return } }
            _ = fcntl(c, F_SETFD, FD_CLOEXEC)
            UnixSocket.setNonBlocking(c)
            while connections.count >= max(1, limits.maxConnections),
                let oldest = connections.values.min(by: { $0.serial < $1.serial })
            {
                evictedCount.add(1, ordering: .relaxed)
                finish(oldest)
            }
            serial += 1
            let (deadline, overflow) = Self.now().addingReportingOverflow(limits.requestTimeout.saturatingNanoseconds)
            let conn = Connection(fd: c, serial: serial, deadline: overflow ? .max : deadline)
            connections[c] = conn
            open.store(connections.count, ordering: .relaxed)
            let r = DispatchSource.makeReadSource(fileDescriptor: c, queue: queue)
            r.setEventHandler { [weak self, weak conn] in
                guard let self, let conn else { return }
                self.readRequest(conn)
            }
            r.setCancelHandler { [conn] in Self.sourceGone(conn) }
            conn.liveSources += 1
            conn.read = r
            r.resume()
        }
    }

    private func readRequest(_ c: Connection) {
        guard !c.answering, connections[c.fd] === c else { return }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(c.fd, $0.baseAddress, $0.count, 0) }
        if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
        guard n > 0 else {
            finish(c)
            return
        }
        let from = max(0, c.request.count - 3)
        c.request.append(contentsOf: buffer[0..<min(n, limits.maxRequestBytes - c.request.count)])
        if Self.headerComplete(c.request, from: from) || c.request.count >= limits.maxRequestBytes { answer(c) }
    }

    private func answer(_ c: Connection) {
        c.answering = true
        c.read?.suspend()
        let firstLine = String(decoding: c.request.prefix { $0 != 0x0d && $0 != 0x0a }, as: UTF8.self)
        let tooLarge = !Self.headerComplete(c.request, from: 0)
        c.request = []
        c.response = Array(Self.response(firstLine: firstLine, tooLarge: tooLarge, render: render).utf8)
        let (deadline, overflow) = Self.now().addingReportingOverflow(limits.requestTimeout.saturatingNanoseconds)
        c.deadline = overflow ? .max : deadline
        let w = DispatchSource.makeWriteSource(fileDescriptor: c.fd, queue: queue)
        w.setEventHandler { [weak self, weak c] in
            guard let self, let c else { return }
            self.writeResponse(c)
        }
        w.setCancelHandler { [c] in Self.sourceGone(c) }
        c.liveSources += 1
        c.write = w
        writeResponse(c)
    }

    private func writeResponse(_ c: Connection) {
        guard connections[c.fd] === c else { return }
        while c.responseOffset < c.response.count {
            let n = c.response[c.responseOffset...].withUnsafeBytes { send(c.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    if !c.writeResumed {
                        c.writeResumed = true
                        c.write?.resume()
                    }
                    return
                }
                finish(c)
                return
            }
            c.responseOffset += n
        }
        finish(c)
    }

    private func expire() {
        let now = Self.now()
        for c in connections.values where c.deadline <= now {
            timedOutCount.add(1, ordering: .relaxed)
            finish(c)
        }
    }

    /// Closes the connection (the descriptor once its read source is cancelled).
    private func finish(_ c: Connection) {
        guard connections[c.fd] === c else { return }
        connections.removeValue(forKey: c.fd)
        open.store(connections.count, ordering: .relaxed)
        shutdown(c.fd, Int32(SHUT_RDWR))
        if let w = c.write {
            if !c.writeResumed { w.resume() }
            w.cancel()
        }
        if let r = c.read {
            if c.answering { r.resume() }
            r.cancel()
        } else {
            close(c.fd)
        }
        c.read = nil
        c.write = nil
    }

    private static func sourceGone(_ c: Connection) {
        c.liveSources -= 1
        if c.liveSources == 0 { close(c.fd) }
    }

    static func response(firstLine: String, tooLarge: Bool, render: () -> String) -> String {
        if tooLarge {
            let body = "request too large\n"
            return "HTTP/1.0 431 Request Header Fields Too Large\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
                + body
        }
        let parts = firstLine.split(separator: " ")
        if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            let body = render()
            return
                "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
                + body
        }
        let body = "not found\n"
        return "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
    }

    /// Whether `r` holds the end of the headers (`CRLF CRLF`, or `LF LF`) starting at or after `from`.
    static func headerComplete(_ r: [UInt8], from: Int) -> Bool {
        var i = max(0, from)
        while i + 1 < r.count {
            if r[i] == 10 && r[i + 1] == 10 { return true }
            if i + 3 < r.count && r[i] == 13 && r[i + 1] == 10 && r[i + 2] == 13 && r[i + 3] == 10 { return true }
            i += 1
        }
        return false
    }
}
