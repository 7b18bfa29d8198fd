/// Converts between `WireMessage` and the bencoded envelope of docs/protocol.md §5 (a dict with integer keys
/// 0…5), and frames encoded messages into datagrams. Stateless; thread-safe.
public enum MessageCodec {
    /// The layers a message may name (key 5).
    public static let layerRange: ClosedRange<Int> = 0...1023

    // MARK: Encoding

    /// The bencoded envelope, byte-for-byte what a Python node writes for the same message.
    public static func encode(_ message: WireMessage) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(192)
        encode(message, into: &out)
        return out
    }

    /// Appends the bencoded envelope of `message` to `out`. Keys are written in their sorted
    /// order `i0e < i1e < … < i5e`, so no dict sort is needed.
    public static func encode(_ message: WireMessage, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "d"))
        appendKey(0, &out)
        Bencode.encode(.int(message.typeCode), into: &out)
        appendKey(1, &out)
        appendID(message.rpcID, &out)
        appendKey(2, &out)
        appendID(message.sender, &out)
        appendKey(3, &out)
        switch message.body {
        case .request(let method, let args), .question(let method, let args):
            Bencode.encode(.string(method), into: &out)
            appendKey(4, &out)
            Bencode.encode(.list(args), into: &out)
        case .response(let result):
            Bencode.encode(result, into: &out)
        case .error(let type, let text):
            Bencode.encode(.string(type), into: &out)
            appendKey(4, &out)
            Bencode.encode(.string(text), into: &out)
        }
        appendKey(5, &out)
        Bencode.encode(.int(Int64(message.layer)), into: &out)
        out.append(UInt8(ascii: "e"))
    }

    /// The envelope as a `BValue` (what `encode` writes, before serialization).
    public static func value(of message: WireMessage) -> BValue {
        var d: [BKey: BValue] = [
            0: .int(message.typeCode),
            1: .bytes(message.rpcID.hexUTF8),
            2: .bytes(message.sender.hexUTF8),
            5: .int(Int64(message.layer))
        ]
        switch message.body {
        case .request(let method, let args), .question(let method, let args):
            d[3] = .string(method)
            d[4] = .list(args)
        case .response(let result):
            d[3] = result
        case .error(let type, let text):
            d[3] = .string(type)
            d[4] = .string(text)
        }
        return .dict(d)
    }

    /// Encodes `message` and frames it for sending, under the message's own rpc id.
    public static func datagrams(for message: WireMessage) throws(Framing.FramingError) -> [[UInt8]] {
        try framed(rpcID: message.rpcID, capacity: 256) { encode(message, into: &$0) }
    }

    /// The datagrams of `write`'s envelope under `rpcID`. The usual message fits one datagram:
    /// it is encoded behind its one-fragment header, instead of encoded and then copied into a
    /// framed datagram; a longer one is cut into fragments.
    @inline(__always)
    static func framed(rpcID: NodeID, capacity: Int, _ write: (inout [UInt8]) -> Void) throws(Framing.FramingError) -> [[UInt8]] {
        var buffer = [UInt8]()
        buffer.reserveCapacity(capacity)
        FrameHeader(total: 1, seq: 0, rpcID: rpcID).encode(into: &buffer)
        write(&buffer)
        guard buffer.count - FrameHeader.size <= Framing.maxFragmentPayload else {
            return try Framing.datagrams(payload: Array(buffer[FrameHeader.size...]), rpcID: rpcID)
        }
        return [buffer]
    }

    // MARK: Decoding

    /// Decodes one whole (already unframed and reassembled) message. Equivalent to
    /// `message(from: Bencode.decode(bytes, limits:))`, but reads the envelope without building
    /// its dict.
    public static func decode(_ bytes: [UInt8], limits: DecodeLimits = .default) throws(DecodeError) -> WireMessage {
        try EnvelopeDecoder.decode(bytes, limits: limits)
    }

    /// What `decodeAnswerable` read: a message, and whether an integer in it was beyond Int64.
    public struct Lenient: Sendable, Hashable {
        /// The message, with any integer beyond Int64 read as `Int64.max` / `Int64.min`.
        public var message: WireMessage
        /// True when some integer did not fit Int64: the receiver should not act on the
        /// message, only answer a call with an error (Python would have read the number).
        public var overflowed: Bool
    }

    /// Decodes like `decode`, except that integers beyond Int64 are read saturated and reported
    /// instead of failing the whole message, so that the envelope (RPC id, sender, layer) can
    /// still be answered. Every other error is thrown as by `decode`.
    public static func decodeAnswerable(_ bytes: [UInt8], limits: DecodeLimits = .default) throws(DecodeError) -> Lenient {
        try decodeAnswerable(bytes[...], limits: limits)
    }

    /// `decodeAnswerable` on bytes in place (a framed datagram's payload), without copying them.
    public static func decodeAnswerable(_ bytes: ArraySlice<UInt8>, limits: DecodeLimits = .default) throws(DecodeError) -> Lenient {
        var lenient = limits
        lenient.saturateOverflowingIntegers = true
        let (message, overflowed) = try EnvelopeDecoder.decodeReportingOverflow(bytes, limits: lenient)
        return Lenient(message: message, overflowed: overflowed)
    }

    /// Reads the envelope out of a decoded value; `.badEnvelope` for anything a Python node
    /// would drop (or, for unknown types, ignore).
    public static func message(from value: BValue) throws(DecodeError) -> WireMessage {
        guard case .dict(let d) = value else { throw DecodeError(envelope: .notADict) }
        return try message(type: d[0], rpcID: hexID(d[1]), sender: hexID(d[2]), method: d[3], args: d[4], layer: d[5])
    }

    /// The envelope rules of docs/protocol.md §5, given the six fields (keys 1 and 2 already read as ids).
    static func message(
        type typeValue: BValue?, rpcID: NodeID?, sender: NodeID?, method field3: BValue?,
        args field4: BValue?, layer field5: BValue?
    ) throws(DecodeError) -> WireMessage {
        guard let typeValue else { throw DecodeError(envelope: .missingType) }
        guard case .int(let type) = typeValue, (0...3).contains(type) else {
            throw DecodeError(envelope: .unknownType)
        }
        guard let rpcID else { throw DecodeError(envelope: .badRPCID) }
        guard let sender else { throw DecodeError(envelope: .badSender) }
        let layer: Int
        switch field5 {
        case nil: layer = 0
        case .int(let l)?:
            guard l >= Int64(layerRange.lowerBound), l <= Int64(layerRange.upperBound) else {
                throw DecodeError(envelope: .layerOutOfRange)
            }
            layer = Int(l)
        default: throw DecodeError(envelope: .badLayer)
        }

        let body: WireMessage.Body
        switch type {
        case 0, 3:
            guard let method = field3?.string else { throw DecodeError(envelope: .badMethod) }
            guard case .list(let args)? = field4 else { throw DecodeError(envelope: .badArgs) }
            body = type == 0 ? .request(method: method, args: args) : .question(method: method, args: args)
        case 1:
            guard let result = field3 else { throw DecodeError(envelope: .missingResult) }
            body = .response(result)
        default:
            guard let errorType = field3?.string else { throw DecodeError(envelope: .badErrorType) }
            guard let text = field4?.string else { throw DecodeError(envelope: .badErrorMessage) }
            body = .error(type: errorType, message: text)
        }
        return WireMessage(rpcID: rpcID, sender: sender, layer: layer, body: body)
    }

    /// A 40-hex-character byte string as an id.
    private static func hexID(_ value: BValue?) -> NodeID? {
        guard case .bytes(let b)? = value else { return nil }
        return NodeID(hexUTF8: b)
    }

    @inline(__always)
    static func appendKey(_ key: UInt8, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "i"))
        out.append(UInt8(ascii: "0") + key)
        out.append(UInt8(ascii: "e"))
    }

    @inline(__always)
    static func appendID(_ id: NodeID, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "4"))
        out.append(UInt8(ascii: "0"))
        out.append(UInt8(ascii: ":"))
        id.appendHexUTF8(to: &out)
    }
}
