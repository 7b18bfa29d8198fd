import DHTWire
import Foundation
import TestKit

/// One RPC sent straight to a node from a bare UDP socket on 127.0.0.1, reassembling fragmented
/// answers: lets a test ask one particular node what it holds.
enum RawRPC {
    /// Sends `method(args)` on `layer` and returns the decoded answer, or nil on timeout.
    static func call(port: Int, method: String, args: [BValue], layer: Int = 0, timeout: Double = 10) -> WireMessage? {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = UInt16(port).bigEndian
        sa.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var rng = SystemRandomNumberGenerator()
        let rpcID = NodeID.random(using: &rng)
        let message = WireMessage(
            rpcID: rpcID, sender: NodeID.random(using: &rng), layer: layer,
            body: .question(method: method, args: args))
        guard let datagrams = try? MessageCodec.datagrams(for: message) else { return nil }
        for d in datagrams {
            _ = d.withUnsafeBytes { buf in
                withUnsafePointer(to: &sa) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        sendto(fd, buf.baseAddress, buf.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            }
        }
        var reassembler = Reassembler<Int>()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let payload: [UInt8]
            switch Framing.classify(Array(buffer[0..<n])) {
            case .framed(let header, let body):
                guard header.rpcID == rpcID else { continue }
                guard case .complete(let whole) = reassembler.receive(header, payload: body, from: port, now: Timestamp(nanoseconds: 0)) else { continue }
                payload = whole
            case .unframed(let whole): payload = whole
            case .invalid: continue
            }
            if let reply = try? MessageCodec.decode(payload), reply.rpcID == rpcID { return reply }
        }
        return nil
    }

    /// The value a node holds for a 40-hex key, or nil when it answers with contacts.
    static func storedValue(port: Int, keyHex: String) -> String? {
        guard let reply = call(port: port, method: "findValue", args: [.string(keyHex)]),
            case .response(.dict(let d)) = reply.body
        else { return nil }
        return d[.string(keyHex)]?.string
    }
}
