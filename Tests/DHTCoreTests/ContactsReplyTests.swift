import DHTCore
import DHTWire
import Testing

/// `ContactsReply` writes findNode's answer straight into the datagram: its bytes must be
/// exactly those of the `BValue` list path for any contacts, addresses, ports and layer.
@Suite struct ContactsReplyTests {
    static func contacts(_ g: FoundValueReplyTests.SplitMix64) -> [Contact] {
        let addresses: [UInt32] = [0, 1, 9, 10, 99, 100, 255, 0x0A00_0001, 0x7F00_0001, 0xFFFF_FFFF, 0x6464_6464, 0x0909_0909]
        let ports: [UInt16] = [0, 1, 9, 10, 14441, 65535]
        var rng = g
        return (0..<g.below(9)).map { _ in
            let address = g.below(2) == 0 ? addresses[g.below(addresses.count)] : UInt32(truncatingIfNeeded: g.next())
            let port = g.below(2) == 0 ? ports[g.below(ports.count)] : UInt16(truncatingIfNeeded: g.next())
            return Contact(id: NodeID.random(using: &rng), endpoint: Endpoint(address: address, port: port), seen: Timestamp(unixSeconds: 1))
        }
    }

    @Test func bytesAreThoseOfTheListPath() throws {
        let g = FoundValueReplyTests.SplitMix64(seed: 0xC0_47AC)
        let layers = [0, 1, 2, 9, 10, -1, Int(Int32.max), Int(Int64.max), Int(Int64.min)]
        for _ in 0..<3_000 {
            let layer = g.below(2) == 0 ? layers[g.below(layers.count)] : Int(Int64(bitPattern: g.next()))
            let reply = ContactsReply(contacts: Self.contacts(g), layer: layer)
            var direct: [UInt8] = []
            reply.encode(into: &direct)
            #expect(direct == Bencode.encode(reply.list))
            #expect(direct.count <= reply.encodedSizeLimit)
            var rng = g
            let rpcID = NodeID.random(using: &rng), sender = NodeID.random(using: &rng)
            let viaList = try MessageCodec.datagrams(for: WireMessage(rpcID: rpcID, sender: sender, layer: layer, body: .response(reply.list)))
            #expect(try reply.datagrams(rpcID: rpcID, sender: sender, layer: layer) == viaList)
        }
    }

    @Test func hostLengthsCoverEveryDottedQuad() {
        for address: UInt32 in [0, 0x0A0A_0A0A, 0x6464_6464, 0xFFFF_FFFF, 0x0164_0A01] {
            let e = Endpoint(address: address, port: 1)
            #expect(e.hostUTF8Count == e.hostUTF8.count)
            var out: [UInt8] = []
            e.appendHostUTF8(to: &out)
            #expect(out == Array(e.host.utf8))
        }
    }
}
