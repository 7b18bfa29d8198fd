import Testing
import DHTWire

/// The frame header and outgoing fragmentation (docs/protocol.md §3).
@Suite struct FramingTests {
    static let rpc = NodeID(hex: "560c62cfdd3c95c09f6ba13cc0b8de23657fdc99")!

    @Test func headerLayout() {
        let bytes = FrameHeader(total: 3, seq: 2, rpcID: Self.rpc).encoded
        #expect(bytes.count == FrameHeader.size)
        #expect(Array(bytes[0..<5]) == [0, 0, 3, 0, 2])
        #expect(Array(bytes[5..<45]) == Array(Self.rpc.hex.utf8))
        #expect(bytes[45] == 0)
    }

    @Test func smallPayloadIsOneDatagram() throws {
        let payload = Array("di0ei0ee".utf8)
        let out = try Framing.datagrams(payload: payload, rpcID: Self.rpc)
        #expect(out.count == 1)
        #expect(out[0] == FrameHeader(total: 1, seq: 0, rpcID: Self.rpc).encoded + payload)
        let exact = [UInt8](repeating: 0x79, count: Framing.maxFragmentPayload)
        #expect(try Framing.datagrams(payload: exact, rpcID: Self.rpc).count == 1)
        #expect(try Framing.datagrams(payload: exact + [0x79], rpcID: Self.rpc).count == 2)
        // V21's shape: an empty payload still gets its header.
        #expect(try Framing.datagrams(payload: [], rpcID: Self.rpc) == [FrameHeader(total: 1, seq: 0, rpcID: Self.rpc).encoded])
    }

    @Test func twentyKilobytesBecomeThreeDatagrams() throws {
        let payload = (0..<20_000).map { UInt8(truncatingIfNeeded: $0) }
        let out = try Framing.datagrams(payload: payload, rpcID: Self.rpc)
        #expect(out.count == 3)
        #expect(out.allSatisfy { $0.count <= Framing.maxDatagramSize })
        #expect(out.map(\.count) == [8192, 8192, 20_000 - 2 * 8146 + 46])
        var joined = [UInt8]()
        for (i, d) in out.enumerated() {
            guard case .framed(let h, let p) = Framing.classify(d) else {
                Issue.record("not framed")
                return
            }
            #expect(h == FrameHeader(total: 3, seq: UInt16(i), rpcID: Self.rpc))
            joined += p
        }
        #expect(joined == payload)
    }

    @Test func tooLargeForOneHundredTwentySevenFragments() throws {
        let fits = [UInt8](repeating: 1, count: Framing.maxFragments * Framing.maxFragmentPayload)
        let out = try Framing.datagrams(payload: fits, rpcID: Self.rpc)
        #expect(out.count == 127)
        #expect(out.allSatisfy { $0[0..<5].allSatisfy { $0 < 0x80 } })
        #expect(throws: Framing.FramingError.payloadTooLarge(bytes: fits.count + 1)) {
            try Framing.datagrams(payload: fits + [1], rpcID: Self.rpc)
        }
    }

    @Test func classificationFollowsPython() {
        let header = FrameHeader(total: 1, seq: 0, rpcID: Self.rpc).encoded
        // Short, or bytes 0/45 not zero: the whole datagram is an unframed message.
        #expect(Framing.classify(Array("le".utf8)) == .unframed(Array("le".utf8)))
        #expect(Framing.classify([]) == .unframed([]))
        var notFramed = header
        notFramed[45] = 1
        #expect(Framing.classify(notFramed) == .unframed(notFramed))
        #expect(Framing.classify(Array(header[..<45])) == .unframed(Array(header[..<45])))
        // Framed but broken headers are typed drops.
        var badID = header
        badID[10] = UInt8(ascii: "z")
        #expect(Framing.classify(badID) == .invalid(.badRPCID))
        #expect(Framing.classify(FrameHeader(total: 0, seq: 0, rpcID: Self.rpc).encoded) == .invalid(.zeroTotal))
        #expect(Framing.classify(FrameHeader(total: 2, seq: 2, rpcID: Self.rpc).encoded) == .invalid(.seqOutOfRange))
        #expect(Framing.classify(FrameHeader(total: 200, seq: 0, rpcID: Self.rpc).encoded) == .invalid(.nonASCIIHeader))
        // Uppercase hex is still an rpc id.
        var upper = header
        upper.replaceSubrange(5..<45, with: Array(Self.rpc.hex.uppercased().utf8))
        guard case .framed(let h, let p) = Framing.classify(upper) else {
            Issue.record("not framed")
            return
        }
        #expect(h.rpcID == Self.rpc && p.isEmpty)
    }
}
