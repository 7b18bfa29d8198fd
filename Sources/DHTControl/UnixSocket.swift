#if canImport(Glibc)
    import Glibc
#endif

/// Why a control-socket operation failed, in one line for an operator. A value type.
public struct ControlError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    static func errno(_ what: String) -> ControlError { ControlError("\(what): \(String(cString: strerror(Glibc.errno)))") }
}

/// Thin POSIX helpers for `AF_UNIX` stream sockets. Stateless; thread-safe. Nothing here reads
/// a clock except `waitReadable`'s timeout.
public enum UnixSocket {
    /// The longest path `sockaddr_un` holds.
    public static let maxPathBytes = 107

    /// Creates, binds (owner-only, 0600, with the umask held around `bind`) and listens on `path`.
    /// A stale socket file nobody listens on is replaced; a live one is an error.
    public static func listen(path: String, backlog: Int32 = 16) throws(ControlError) -> Int32 {
        guard path.utf8.count <= maxPathBytes else { throw ControlError("socket path too long (\(path.utf8.count) > \(maxPathBytes) bytes): \(path)") }
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else { throw ControlError("\(path) exists and is not a socket") }
            if let fd = try? connect(path: path) {
                close(fd)
                throw ControlError("another node already listens on \(path)")
            }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .errno("socket") }
        let old = umask(0o177)
        let bound = withAddress(path) { bind(fd, $0, $1) }
        umask(old)
        guard bound == 0 else {
            let e = ControlError.errno("bind \(path)")
            close(fd)
            throw e
        }
        chmod(path, 0o600)
        guard Glibc.listen(fd, backlog) == 0 else {
            let e = ControlError.errno("listen")
            close(fd)
            throw e
        }
        setNonBlocking(fd)
        return fd
    }

    /// Connects to `path` (blocking). The descriptor is close-on-exec.
    public static func connect(path: String) throws(ControlError) -> Int32 {
        guard path.utf8.count <= maxPathBytes else { throw ControlError("socket path too long: \(path)") }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .errno("socket") }
        let r = withAddress(path) { Glibc.connect(fd, $0, $1) }
        guard r == 0 else {
            let e = ControlError.errno("cannot connect to \(path)")
            close(fd)
            throw e
        }
        return fd
    }

    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    public static func setNonBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
    }

    /// The connected peer's uid, gid and pid (Linux `SO_PEERCRED`), nil if unavailable.
    public static func peerCredentials(_ fd: Int32) -> PeerCredentials? {
        var cred = (pid: Int32(0), uid: UInt32(0), gid: UInt32(0))
        var len = socklen_t(MemoryLayout.size(ofValue: cred))
        guard getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == 0, len == 12 else { return nil }
        return PeerCredentials(pid: cred.pid, uid: cred.uid, gid: cred.gid)
    }

    /// Writes everything, blocking (for a client's short requests). False on error.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN {
                    _ = waitWritable(fd)
                    continue
                }
                return false
            }
            offset += n
        }
        return true
    }

    /// Waits up to `milliseconds` for `fd` to be readable; false on timeout.
    public static func waitReadable(_ fd: Int32, milliseconds: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, milliseconds) > 0
    }

    static func waitWritable(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        return poll(&p, 1, 1000) > 0
    }
}

/// Who is on the other end of a Unix socket. A value type.
public struct PeerCredentials: Sendable, Hashable {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}

/// Who may use the control socket: only the node's own uid (root is not special). Pure.
public struct ControlAccessPolicy: Sendable, Hashable {
    public var ownerUID: UInt32
    public init(ownerUID: UInt32 = getuid()) { self.ownerUID = ownerUID }

    /// nil to admit, else the refusal sent to the peer before closing.
    public func refusal(for peer: PeerCredentials?) -> String? {
        guard let peer else { return "refused: the peer's credentials are unknown" }
        guard peer.uid == ownerUID else { return "refused: uid \(peer.uid) is not the node's owner (uid \(ownerUID))" }
        return nil
    }
}
