extension MessageCodec {
    /// The datagrams of a response (type 1) whose result is written by `writeResult` straight
    /// into the datagram, without a `BValue` tree: byte for byte `datagrams(for:)` of the same
    /// response when `writeResult` appends what `Bencode.encode` writes for the result.
    /// `capacity` is what to reserve for the first datagram (it grows if needed).
    public static func responseDatagrams(
        rpcID: NodeID, sender: NodeID, layer: Int, capacity: Int = 256, writeResult: (inout [UInt8]) -> Void
    ) throws(Framing.FramingError) -> [[UInt8]] {
        try framed(rpcID: rpcID, capacity: capacity) { out in
            // The envelope of `encode(_:into:)` for `.response`: keys 0, 1, 2, 3 and 5 in order.
            out.append(UInt8(ascii: "d"))
            appendKey(0, &out)
            Bencode.encode(.int(1), into: &out)
            appendKey(1, &out)
            appendID(rpcID, &out)
            appendKey(2, &out)
            appendID(sender, &out)
            appendKey(3, &out)
            writeResult(&out)
            appendKey(5, &out)
            Bencode.encode(.int(Int64(layer)), into: &out)
            out.append(UInt8(ascii: "e"))
        }
    }

    /// The one datagram of a response whose result is `resultLength` bytes written by
    /// `writeResult` into storage sized for it (`PresizedWriter`): byte for byte what
    /// `responseDatagrams` writes for the same result. Nil when the message needs more than one
    /// fragment or `writeResult` wrote other than `resultLength` bytes; the caller then takes
    /// `responseDatagrams`.
    public static func presizedResponse(
        rpcID: NodeID, sender: NodeID, layer: Int, resultLength: Int, writeResult: (inout PresizedWriter) -> Void
    ) -> [UInt8]? {
        // d, keys 0-3 and 5 (three bytes each), type 1, two ids (40:<40 digits>), the layer, e.
        let payload = 1 + 5 * 3 + 3 + 2 * 43 + PresizedWriter.bencodedIntLength(Int64(layer)) + 1
        guard resultLength >= 0, resultLength <= Framing.maxFragmentPayload - payload else { return nil }
        return PresizedWriter.bytes(count: FrameHeader.size + payload + resultLength) { w in
            // The frame header of a message in one fragment (`FrameHeader.encode`).
            w.byte(0)
            w.byte(0)
            w.byte(1)
            w.byte(0)
            w.byte(0)
            w.hex(rpcID)
            w.byte(0)
            // The envelope (`encode(_:into:)` for `.response`).
            w.byte(UInt8(ascii: "d"))
            key(0, &w)
            w.bencodedInt(1)
            key(1, &w)
            id(rpcID, &w)
            key(2, &w)
            id(sender, &w)
            key(3, &w)
            writeResult(&w)
            key(5, &w)
            w.bencodedInt(Int64(layer))
            w.byte(UInt8(ascii: "e"))
        }
    }

    @inline(__always)
    private static func key(_ k: UInt8, _ w: inout PresizedWriter) {
        w.byte(UInt8(ascii: "i"))
        w.byte(UInt8(ascii: "0") + k)
        w.byte(UInt8(ascii: "e"))
    }

    @inline(__always)
    private static func id(_ id: NodeID, _ w: inout PresizedWriter) {
        w.byte(UInt8(ascii: "4"))
        w.byte(UInt8(ascii: "0"))
        w.byte(UInt8(ascii: ":"))
        w.hex(id)
    }
}
