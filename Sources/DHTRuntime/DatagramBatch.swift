import CUDPBatch
import DHTWire
#if canImport(Glibc)
    import Glibc
#endif

/// Buffers for moving many datagrams per system call on one `UDPSocket`: `receive` fills up to
/// `capacity` slots with one recvmmsg; `enqueue` copies an outgoing datagram into a send slot and
/// `flush` sends every queued one with one sendmmsg. Everything is allocated once, at creation
/// (`capacity` × 64 KiB to receive, `capacity` × 8 KiB to send, touched only as far as datagrams
/// reach); nothing per datagram. Confined to the socket's reader (one queue); reads no clock.
public final class DatagramBatch {
    /// Datagrams per system call.
    public let capacity: Int
    /// Room per received datagram: the largest UDP payload fits.
    static let receiveSlotSize = 65_536
    /// Room per queued outgoing datagram: what the framing ever produces (spec §3.4).
    static let sendSlotSize = Framing.maxDatagramSize
    private let receiveArena: UnsafeMutableRawPointer
    private let sendArena: UnsafeMutableRawPointer
    private let receiveSlots: UnsafeMutablePointer<cudp_slot>
    private let sendSlots: UnsafeMutablePointer<cudp_slot>
    /// Datagrams filled by the last `receive`.
    public private(set) var received = 0
    /// Datagrams waiting for `flush`.
    public private(set) var queued = 0

    public init(capacity: Int = 32) {
        self.capacity = max(1, min(64, capacity))
        receiveArena = .allocate(byteCount: self.capacity * Self.receiveSlotSize, alignment: 16)
        sendArena = .allocate(byteCount: self.capacity * Self.sendSlotSize, alignment: 16)
        receiveSlots = .allocate(capacity: self.capacity)
        sendSlots = .allocate(capacity: self.capacity)
        receiveSlots.initialize(repeating: cudp_slot(), count: self.capacity)
        sendSlots.initialize(repeating: cudp_slot(), count: self.capacity)
    }

    deinit {
        receiveArena.deallocate()
        sendArena.deallocate()
        receiveSlots.deallocate()
        sendSlots.deallocate()
    }

    /// Reads every datagram waiting on `socket`, up to `capacity`, without blocking; returns how
    /// many (0 when none was waiting or the socket failed).
    public func receive(from socket: UDPSocket) -> Int {
        for i in 0..<capacity {
            receiveSlots[i].base = receiveArena + i * Self.receiveSlotSize
            receiveSlots[i].length = Self.receiveSlotSize
        }
        let n = cudp_receive(socket.fileDescriptor, receiveSlots, UInt32(capacity))
        received = max(0, Int(n))
        return received
    }

    /// Datagram `i` of the last `receive` (valid until the next one) and its sender; nil for a
    /// truncated datagram or a sender that is not IPv4.
    public func datagram(_ i: Int) -> (bytes: UnsafeRawBufferPointer, from: Endpoint)? {
        guard i >= 0, i < received else { return nil }
        let slot = receiveSlots[i]
        guard slot.truncated == 0, slot.peer.sin_family == sa_family_t(AF_INET) else { return nil }
        let from = Endpoint(address: UInt32(bigEndian: slot.peer.sin_addr.s_addr), port: UInt16(bigEndian: slot.peer.sin_port))
        return (UnsafeRawBufferPointer(start: slot.base, count: slot.length), from)
    }

    /// Copies `datagram` into the next send slot, flushing on `socket` first when every slot is
    /// taken; false (nothing queued) when it is larger than a slot, for the caller to send alone.
    public func enqueue(_ datagram: UnsafeRawBufferPointer, to endpoint: Endpoint, on socket: UDPSocket) -> Bool {
        guard datagram.count <= Self.sendSlotSize else { return false }
        if queued == capacity { flush(on: socket) }
        let base = sendArena + queued * Self.sendSlotSize
        if let source = datagram.baseAddress { base.copyMemory(from: source, byteCount: datagram.count) }
        sendSlots[queued].base = base
        sendSlots[queued].length = datagram.count
        sendSlots[queued].peer = UDPSocket.socketAddress(endpoint)
        queued += 1
        return true
    }

    /// Sends every queued datagram (one sendmmsg while the kernel takes them all); a datagram
    /// the kernel refuses (full buffer, no route) is dropped, as `UDPSocket.send` would. Returns
    /// how many were dropped.
    @discardableResult
    public func flush(on socket: UDPSocket) -> Int {
        var start = 0, dropped = 0
        while start < queued {
            let n = cudp_send(socket.fileDescriptor, sendSlots + start, UInt32(queued - start))
            if n > 0 {
                start += Int(n)
            } else {
                if n < 0 && errno == EINTR { continue }
                start += 1  // the first one was refused: drop it, try the rest
                dropped += 1
            }
        }
        queued = 0
        return dropped
    }
}
