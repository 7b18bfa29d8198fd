/// The fast path of `MessageCodec.decode`: reads the top-level envelope dict field by field into
/// six slots instead of building a `[BKey: BValue]`, and parses the two ids in place.
///
/// It accepts and rejects exactly what `MessageCodec.message(from: Bencode.decode(...))` does,
/// with the same error codes: same limits, item counting, UTF-8 checks and "last key wins".
/// Stateless; thread-safe.
enum EnvelopeDecoder {
    static func decode(_ bytes: [UInt8], limits: DecodeLimits) throws(DecodeError) -> WireMessage {
        try decodeReportingOverflow(bytes, limits: limits).message
    }

    /// Like `decode`; `overflowed` tells whether an integer beyond Int64 was read saturated
    /// (only with `limits.saturateOverflowingIntegers`).
    static func decodeReportingOverflow(_ bytes: [UInt8], limits: DecodeLimits) throws(DecodeError) -> (message: WireMessage, overflowed: Bool) {
        try decodeReportingOverflow(bytes[...], limits: limits)
    }

    /// The same on bytes in place (a datagram's payload after its frame header), so that the
    /// caller need not copy them into an array of their own first.
    static func decodeReportingOverflow(_ bytes: ArraySlice<UInt8>, limits: DecodeLimits) throws(DecodeError) -> (message: WireMessage, overflowed: Bool) {
        let result: Result<(WireMessage, Bool), DecodeError> = bytes.withUnsafeBufferPointer { buffer in
            do throws(DecodeError) {
                return .success(try decodeReportingOverflow(buffer: buffer, limits: limits))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decodeReportingOverflow(
        buffer: UnsafeBufferPointer<UInt8>, limits: DecodeLimits
    ) throws(DecodeError) -> (message: WireMessage, overflowed: Bool) {
        if buffer.isEmpty { throw DecodeError(.empty, at: 0) }
        if buffer.count > limits.maxTotalBytes { throw DecodeError(.tooLarge, at: limits.maxTotalBytes) }
        // Not a dict: the generic path gives the right error (or `.notADict`); no envelope.
        guard buffer[0] == BencodeParser.d, limits.maxDepth >= 1 else {
            var strict = limits
            strict.saturateOverflowingIntegers = false
            return (try MessageCodec.message(from: Bencode.decode(Array(buffer), limits: strict)), false)
        }
        var parser = BencodeParser(buffer: buffer, limits: limits)
        let message = try readEnvelope(&parser)
        return (message, parser.overflowed)
    }

    /// What key 1 or 2 held: an id, or something that is not one.
    private enum IDSlot {
        case absent, id(NodeID), invalid
        var id: NodeID? {
            if case .id(let v) = self { return v }
            return nil
        }
    }

    private static func readEnvelope(_ parser: inout BencodeParser) throws(DecodeError) -> WireMessage {
        let n = parser.p.count
        try parser.countItem()  // the dict itself
        parser.pos += 1
        var type: BValue? = nil, field3: BValue? = nil, field4: BValue? = nil, field5: BValue? = nil
        var rpcID = IDSlot.absent, sender = IDSlot.absent
        while true {
            guard parser.pos < n else { throw DecodeError(.truncated, at: parser.pos) }
            let c = parser.p[parser.pos]
            if c == BencodeParser.e {
                parser.pos += 1
                break
            }
            // The key.
            try parser.countItem()
            var slot: Int64 = -1
            switch c {
            case UInt8(ascii: "i"): slot = try parser.parseInteger()
            case BencodeParser.zero...BencodeParser.nine: _ = try parser.parseRawString()
            default: throw DecodeError(.unexpectedByte, at: parser.pos)
            }
            // The value.
            guard parser.pos < n else { throw DecodeError(.truncated, at: parser.pos) }
            switch slot {
            case 1, 2:
                let id = try readID(&parser)
                if slot == 1 { rpcID = id } else { sender = id }
            case 0: type = try parser.parseValue(depth: 1)
            case 3: field3 = try parser.parseValue(depth: 1)
            case 4: field4 = try parser.parseValue(depth: 1)
            case 5: field5 = try parser.parseValue(depth: 1)
            default: _ = try parser.parseValue(depth: 1)
            }
        }
        if parser.pos != n { throw DecodeError(.trailingBytes, at: parser.pos) }
        return try MessageCodec.message(
            type: type, rpcID: rpcID.id, sender: sender.id,
            method: field3, args: field4, layer: field5)
    }

    /// An id value: a byte string read in place, else any value (which is then not an id).
    private static func readID(_ parser: inout BencodeParser) throws(DecodeError) -> IDSlot {
        let c = parser.p[parser.pos]
        guard c >= BencodeParser.zero, c <= BencodeParser.nine else {
            _ = try parser.parseValue(depth: 1)
            return .invalid
        }
        try parser.countItem()
        return NodeID(hexASCII: try parser.parseRawString()).map(IDSlot.id) ?? .invalid
    }
}
