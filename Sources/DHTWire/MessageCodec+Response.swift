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

}
