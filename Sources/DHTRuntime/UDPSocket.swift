import DHTWire
#if canImport(Glibc)
    import Glibc
#endif

/// A non-blocking IPv4 UDP socket. `send` may be called from any thread; `receive` from one
/// thread at a time (the node's queue).
public final class UDPSocket: @unchecked Sendable {
    /// Why a socket could not be opened, in one line for an operator.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    public let fileDescriptor: Int32
    /// The bound address (the real port when 0 was asked for).
    public let local: Endpoint

    /// Binds `host:port`; port 0 picks a free port.
    public init(host: String, port: UInt16) throws(Failure) {
        guard let address = Endpoint.parseIPv4(host) else { throw Failure(message: "not an IPv4 address: \(host)") }
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(message: "cannot create a UDP socket: \(String(cString: strerror(errno)))") }
        var size: Int32 = 4 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var sa = UDPSocket.socketAddress(Endpoint(address: address, port: port))
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw Failure(message: "cannot listen on UDP \(host):\(port): \(reason)")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var bound = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.fileDescriptor = fd
        self.local = Endpoint(address: UInt32(bigEndian: bound.sin_addr.s_addr), port: UInt16(bigEndian: bound.sin_port))
    }

    static func socketAddress(_ endpoint: Endpoint) -> sockaddr_in {
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = endpoint.port.bigEndian
        sa.sin_addr.s_addr = endpoint.address.bigEndian
        return sa
    }

    /// Sends one datagram; returns false when the kernel refused it (full buffer, no route).
    @discardableResult
    public func send(_ datagram: [UInt8], to endpoint: Endpoint) -> Bool {
        var sa = UDPSocket.socketAddress(endpoint)
        let n = datagram.withUnsafeBytes { buf in
            withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fileDescriptor, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        return n == datagram.count
    }

    /// Reads one datagram into `buffer` without blocking; nil when none is waiting.
    public func receive(into buffer: UnsafeMutableRawBufferPointer) -> (count: Int, from: Endpoint)? {
        var sa = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(fileDescriptor, buffer.baseAddress, buffer.count, 0, $0, &len)
            }
        }
        guard n >= 0 else { return nil }
        return (n, Endpoint(address: UInt32(bigEndian: sa.sin_addr.s_addr), port: UInt16(bigEndian: sa.sin_port)))
    }

    public func close() { _ = Glibc.close(fileDescriptor) }
}
