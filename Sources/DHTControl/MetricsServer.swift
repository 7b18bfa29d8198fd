import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `--metrics 127.0.0.1:PORT`: a tiny HTTP/1.0 server answering `GET /metrics` with
/// `PrometheusText`, anything else 404. Loopback only (the caller validates the host).
///
/// Contract: accepts on a private serial queue; each connection is served on a concurrent
/// queue with a 2 s read deadline and a 16 KB request cap; at most `maxConnections` at once
/// (more are closed at once). `render` is called on those queues. Reads no clock.
public final class MetricsServer: @unchecked Sendable {
    public let port: UInt16
    public let maxConnections: Int
    private let render: @Sendable () -> String
    private let queue = DispatchQueue(label: "dhtop.metrics")
    private let workers = DispatchQueue(label: "dhtop.metrics.conn", attributes: .concurrent)
    private let active = Atomic<Int>(0)
    private var fd: Int32 = -1
    private var source: DispatchSourceRead?

    /// Binds 127.0.0.1:`port` (0 picks one; see `port` after).
    public init(port: UInt16, maxConnections: Int = 4, render: @escaping @Sendable () -> String) throws(ControlError) {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw .errno("socket") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(s, 16) == 0 else { let e = ControlError.errno("metrics on 127.0.0.1:\(port)"); close(s); throw e }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &len) } }
        self.port = UInt16(bigEndian: addr.sin_port)
        self.maxConnections = maxConnections
        self.render = render
        self.fd = s
        UnixSocket.setNonBlocking(s)
    }

    public func start() {
        queue.sync {
            let src = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            src.setEventHandler { [weak self] in self?.acceptAll() }
            src.resume()
            source = src
        }
    }

    public func stop() {
        queue.sync {
            source?.cancel()
            source = nil
            if fd >= 0 { close(fd); fd = -1 }
        }
    }

    private func acceptAll() {
        while true {
            let c = accept(fd, nil, nil)
            guard c >= 0 else { if errno == EINTR { continue } else { return } }
            _ = fcntl(c, F_SETFD, FD_CLOEXEC)
            guard active.add(1, ordering: .relaxed).newValue <= maxConnections else {
                active.subtract(1, ordering: .relaxed)
                close(c)
                continue
            }
            workers.async { [self] in
                serve(c)
                close(c)
                active.subtract(1, ordering: .relaxed)
            }
        }
    }

    private func serve(_ c: Int32) {
        var tv = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while request.count < 16_384 && !Self.headerComplete(request) {
            let n = buffer.withUnsafeMutableBytes { recv(c, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            request.append(contentsOf: buffer[0..<n])
        }
        let firstLine = String(decoding: request.prefix { $0 != 0x0d && $0 != 0x0a }, as: UTF8.self)
        let parts = firstLine.split(separator: " ")
        let response: String
        if parts.count >= 2, parts[0] == "GET", parts[1] == "/metrics" || parts[1].hasPrefix("/metrics?") {
            let body = render()
            response = "HTTP/1.0 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        } else {
            let body = "not found\n"
            response = "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
        }
        _ = UnixSocket.writeAll(c, Array(response.utf8))
    }

    static func headerComplete(_ r: [UInt8]) -> Bool {
        guard r.count >= 4 else { return false }
        for i in 0...(r.count - 4) where r[i] == 13 && r[i + 1] == 10 && r[i + 2] == 13 && r[i + 3] == 10 { return true }
        return r.count >= 2 && r[r.count - 2] == 10 && r[r.count - 1] == 10
    }
}
