/// The 46-byte frame header every Python-sent datagram starts with (docs/protocol.md §3.1):
/// `00 | total (UInt16 BE) | seq (UInt16 BE) | 40 ASCII hex rpc id | 00`.
/// A value type; thread-safe.
public struct FrameHeader: Hashable, Sendable {
    /// The header's length in bytes.
    public static let size = 46

    /// How many fragments the message was cut into (>= 1).
    public var total: UInt16
    /// This fragment's 0-based index (< total).
    public var seq: UInt16
    /// The RPC id of the message (written as 40 lowercase hex characters).
    public var rpcID: NodeID

    public init(total: UInt16, seq: UInt16, rpcID: NodeID) {
        self.total = total
        self.seq = seq
        self.rpcID = rpcID
    }

    /// Appends the 46 header bytes to `out`.
    public func encode(into out: inout [UInt8]) {
        out.append(0)
        out.append(UInt8(truncatingIfNeeded: total >> 8))
        out.append(UInt8(truncatingIfNeeded: total))
        out.append(UInt8(truncatingIfNeeded: seq >> 8))
        out.append(UInt8(truncatingIfNeeded: seq))
        rpcID.appendHexUTF8(to: &out)
        out.append(0)
    }

    /// The 46 header bytes.
    public var encoded: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(FrameHeader.size)
        encode(into: &out)
        return out
    }
}

/// Splitting outgoing payloads into framed datagrams, and classifying incoming datagrams the
/// way a Python node does (docs/protocol.md §3). Stateless; thread-safe.
public enum Framing {
    /// The most payload bytes per datagram, so that no datagram exceeds 8192 bytes (docs/protocol.md §3.4).
    public static let maxFragmentPayload = 8146
    /// The most fragments per message: keeps every header byte below 0x80 (docs/protocol.md §3.3).
    public static let maxFragments = 127
    /// The largest datagram a Python node can receive.
    public static let maxDatagramSize = 8192

    /// What an incoming datagram is.
    public enum Classified: Hashable, Sendable {
        /// A framed datagram: its header and the payload bytes after it (possibly empty).
        case framed(FrameHeader, payload: ArraySlice<UInt8>)
        /// An old-style datagram: the whole of it is one bencoded message.
        case unframed([UInt8])
        /// A framed datagram whose header Python would drop or misparse.
        case invalid(DropReason)
    }

    /// Why a framed datagram is dropped before reassembly.
    public enum DropReason: String, Hashable, Sendable, CaseIterable {
        /// The rpc id field is not 40 hex characters.
        case badRPCID
        /// `total` is zero.
        case zeroTotal
        /// `seq >= total`.
        case seqOutOfRange
        /// A `total` or `seq` byte is >= 0x80, which Python's strict UTF-8 header decode rejects.
        case nonASCIIHeader
    }

    /// Why a payload cannot be framed.
    public enum FramingError: Error, Hashable, Sendable {
        /// The payload needs more than `maxFragments` fragments.
        case payloadTooLarge(bytes: Int)
    }

    /// Classifies `datagram` exactly as Python does: framed iff it has at least 46 bytes and
    /// bytes 0 and 45 are both 0x00; otherwise the whole datagram is an unframed message.
    public static func classify(_ datagram: [UInt8]) -> Classified {
        guard datagram.count >= FrameHeader.size, datagram[0] == 0, datagram[45] == 0 else {
            return .unframed(datagram)
        }
        let b1 = datagram[1], b2 = datagram[2], b3 = datagram[3], b4 = datagram[4]
        if (b1 | b2 | b3 | b4) & 0x80 != 0 { return .invalid(.nonASCIIHeader) }
        let total = UInt16(b1) << 8 | UInt16(b2)
        let seq = UInt16(b3) << 8 | UInt16(b4)
        guard let rpcID = datagram.withUnsafeBufferPointer({ NodeID(hexASCII: UnsafeBufferPointer(rebasing: $0[5..<45])) }) else { return .invalid(.badRPCID) }
        if total == 0 { return .invalid(.zeroTotal) }
        if seq >= total { return .invalid(.seqOutOfRange) }
        return .framed(FrameHeader(total: total, seq: seq, rpcID: rpcID), payload: datagram[FrameHeader.size...])
    }

    /// Frames `payload` for sending: one datagram if it fits in `maxFragmentPayload` bytes,
    /// otherwise fragments of at most that many payload bytes each, in `seq` order.
    public static func datagrams(payload: [UInt8], rpcID: NodeID) throws(FramingError) -> [[UInt8]] {
        let count = max(1, (payload.count + maxFragmentPayload - 1) / maxFragmentPayload)
        guard count <= maxFragments else { throw .payloadTooLarge(bytes: payload.count) }
        var out = [[UInt8]]()
        out.reserveCapacity(count)
        for seq in 0..<count {
            let start = seq * maxFragmentPayload
            let end = min(payload.count, start + maxFragmentPayload)
            var datagram = [UInt8]()
            datagram.reserveCapacity(FrameHeader.size + end - start)
            FrameHeader(total: UInt16(count), seq: UInt16(seq), rpcID: rpcID).encode(into: &datagram)
            datagram.append(contentsOf: payload[start..<end])
            out.append(datagram)
        }
        return out
    }
}
