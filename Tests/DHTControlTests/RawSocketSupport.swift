import DHTControl
import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A hand-driven client socket (Unix or TCP on 127.0.0.1) for abuse tests: sends exactly the
/// bytes given, reads only when asked. Closes its descriptor on `close()` or deinit.
final class RawSocket: @unchecked Sendable {
    let fd: Int32
    private let lock = NSLock()
    private var isOpen = true

    init(fd: Int32) { self.fd = fd }

    /// Connects to a Unix socket path.
    static func unix(_ path: String) throws -> RawSocket {
        RawSocket(fd: try UnixSocket.connect(path: path))
    }

    /// Connects to 127.0.0.1:`port`.
    static func tcp(port: UInt16) throws -> RawSocket {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else {
            Glibc.close(s)
            throw ControlError("connect to \(port) failed")
        }
        return RawSocket(fd: s)
    }

    /// Sends without blocking; false once the peer is gone.
    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard isOpen else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    /// Reads until end of stream (or `seconds` pass): what arrived and whether the peer closed.
    func readToEnd(seconds: Double = 10) -> (text: String, closed: Bool) {
        let end = Date().addingTimeInterval(seconds)
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while Date() < end {
            guard UnixSocket.waitReadable(fd, milliseconds: 100) else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return (String(decoding: data, as: UTF8.self), true) }
            data.append(contentsOf: buffer[0..<n])
        }
        return (String(decoding: data, as: UTF8.self), false)
    }

    /// Whether the peer has closed (end of stream or reset), without waiting and without
    /// consuming data beyond what is already there.
    var peerClosed: Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN) | 0x2000, revents: 0)
        guard poll(&p, 1, 0) > 0 else { return false }
        return p.revents & (Int16(POLLHUP | POLLERR) | 0x2000) != 0
    }

    func close() {
        lock.lock()
        defer { lock.unlock() }
        guard isOpen else { return }
        isOpen = false
        Glibc.close(fd)
    }

    deinit { if isOpen { Glibc.close(fd) } }
}

/// A thread-safe list of strings for callbacks.
final class StringBox: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) {
        lock.lock()
        items.append(s)
        lock.unlock()
    }
    var values: [String] {
        lock.lock()
        defer { lock.unlock() }
        return items
    }
}

/// A thread-safe flag.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var v = false
    func set() {
        lock.lock()
        v = true
        lock.unlock()
    }
    var value: Bool {
        lock.lock()
        defer { lock.unlock() }
        return v
    }
}

/// Small limits for tests: deadlines in hundreds of milliseconds, checked every 20 ms.
func quickLimits(
    handshake: Duration = .milliseconds(300), idle: Duration = .milliseconds(300),
    stall: Duration = .seconds(60)
) -> ControlLimits {
    var l = ControlLimits()
    l.handshakeTimeout = handshake
    l.idleTimeout = idle
    l.stallTimeout = stall
    l.checkInterval = .milliseconds(20)
    return l
}

let helloLine = "{\"type\":\"hello\",\"version\":\(ControlProtocol.version)}\n"
let subscribeLine = "{\"type\":\"subscribe\"}\n"
