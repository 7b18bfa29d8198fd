import DHTWire

/// The result a node answers to `findNode` (and to `findValue` for a key it does not hold,
/// docs/protocol.md §8.3): the list of the closest contacts, each `[id hex, host, port, layer]`.
///
/// `encode(into:)` writes it straight into an output buffer: byte for byte what
/// `Bencode.encode` writes for `list`, without building the lists of the `BValue` tree. A value
/// type; thread-safe.
public struct ContactsReply: Sendable {
    public var contacts: [Contact]
    /// The layer written into every contact.
    public var layer: Int

    public init(contacts: [Contact], layer: Int) {
        self.contacts = contacts
        self.layer = layer
    }

    /// The same result as a `BValue` tree.
    public var list: BValue {
        .list(
            contacts.map {
                .list([.bytes($0.id.hexUTF8), .bytes($0.endpoint.hostUTF8), .int(Int64($0.endpoint.port)), .int(Int64(layer))])
            })
    }

    /// Bytes `encode(into:)` appends, at most.
    public var encodedSizeLimit: Int { 2 + contacts.count * (2 + 43 + 18 + 7 + 22) }

    /// Appends the bencoded list to `out`.
    public func encode(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "l"))
        for c in contacts {
            out.append(UInt8(ascii: "l"))
            out.append(UInt8(ascii: "4"))
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: ":"))
            c.id.appendHexUTF8(to: &out)
            // The host's length, 7 to 15: one or two digits.
            let hostCount = c.endpoint.hostUTF8Count
            if hostCount >= 10 { out.append(UInt8(ascii: "1")) }
            out.append(UInt8(ascii: "0") + UInt8(hostCount % 10))
            out.append(UInt8(ascii: ":"))
            c.endpoint.appendHostUTF8(to: &out)
            Bencode.encode(.int(Int64(c.endpoint.port)), into: &out)
            Bencode.encode(.int(Int64(layer)), into: &out)
            out.append(UInt8(ascii: "e"))
        }
        out.append(UInt8(ascii: "e"))
    }

    /// The datagrams answering call `rpcID` with this result, from `sender` (our id for
    /// `layer`): byte for byte `MessageCodec.datagrams(for:)` of the response carrying `list`.
    public func datagrams(rpcID: NodeID, sender: NodeID, layer: Int) throws(Framing.FramingError) -> [[UInt8]] {
        try MessageCodec.responseDatagrams(
            rpcID: rpcID, sender: sender, layer: layer, capacity: FrameHeader.size + 120 + encodedSizeLimit,
            writeResult: encode(into:))
    }
}
