import Testing

@testable import DHTWire

/// `PresizedWriter` writes into storage sized beforehand: what it writes must be what the
/// array path writes, its lengths must be exact, and a writer that writes more or fewer bytes
/// than it was sized for must give nil, never a trap or bytes left unset.
@Suite struct PresizedWriterTests {
    static let edges: [Int64] = [0, 1, -1, 9, 10, -9, -10, 99, 100, .max, .min, .max - 1, .min + 1, 999_999_999_999_999_999, 1_000_000_000_000_000_000]

    @Test func integersAndLengthsMatchTheArrayPath() throws {
        var rng = SplitMix64(seed: 17)
        // Every power of ten and its neighbours, both signs: where the length changes.
        var powers: [Int64] = []
        var p: Int64 = 1
        for _ in 0..<18 {
            p *= 10
            powers += [p - 1, p, p + 1, -(p - 1), -p, -(p + 1)]
        }
        let values = Self.edges + powers + (0..<2000).map { _ in Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64) }
        for v in values {
            let expected = Bencode.encode(.int(v))
            #expect(PresizedWriter.bencodedIntLength(v) == expected.count, "\(v)")
            let ours = try #require(PresizedWriter.bytes(count: expected.count) { $0.bencodedInt(v) })
            #expect(ours == expected, "\(v)")
        }
        for n in [0, 1, 9, 10, 99, 100, 1000] {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            let expected = Bencode.encode(.bytes(bytes))
            #expect(PresizedWriter.bencodedBytesLength(n) == expected.count)
            #expect(PresizedWriter.bytes(count: expected.count) { $0.bencodedBytes(bytes) } == expected)
        }
    }

    @Test func idsAreWrittenAsTheirHexDigits() throws {
        var rng = SplitMix64(seed: 19)
        for id in [NodeID.zero, .max] + (0..<500).map({ _ in NodeID.random(using: &rng) }) {
            #expect(PresizedWriter.bytes(count: 40) { $0.hex(id) } == id.hexUTF8)
        }
    }

    @Test func writingMoreOrFewerBytesThanSizedGivesNil() {
        let id = NodeID.max
        #expect(PresizedWriter.bytes(count: 39) { $0.hex(id) } == nil)
        #expect(PresizedWriter.bytes(count: 41) { $0.hex(id) } == nil)
        #expect(PresizedWriter.bytes(count: 3) { $0.bencodedInt(.min) } == nil)
        #expect(PresizedWriter.bytes(count: 2) { $0.bytes([1, 2, 3]) } == nil)
        #expect(PresizedWriter.bytes(count: 4) { $0.bytes([1, 2, 3]) } == nil)
        #expect(PresizedWriter.bytes(count: -1) { _ in } == nil)
        #expect(PresizedWriter.bytes(count: 0) { _ in } == [])
        // After one write that did not fit, later ones that would fit do not count either.
        let late = PresizedWriter.bytes(count: 3) { w in
            w.bytes([1, 2, 3, 4])
            w.bytes([1, 2, 3])
        }
        #expect(late == nil)
    }

    /// The presized response is byte for byte the array path's, for results of every size up
    /// to one datagram and every layer width; past one datagram it declines.
    @Test func presizedResponsesMatchTheArrayPath() throws {
        var rng = SplitMix64(seed: 23)
        for layer in [0, 9, 10, 1023] {
            for size in [0, 1, 100, 8000, 8030, 8031, 8032, 8146, 9000] {
                let result = (0..<size).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                let length = PresizedWriter.bencodedBytesLength(size)
                let rpcID = NodeID.random(using: &rng), sender = NodeID.random(using: &rng)
                let expected = try MessageCodec.responseDatagrams(rpcID: rpcID, sender: sender, layer: layer) {
                    Bencode.encode(.bytes(result), into: &$0)
                }
                let ours = MessageCodec.presizedResponse(rpcID: rpcID, sender: sender, layer: layer, resultLength: length) {
                    $0.bencodedBytes(result)
                }
                if expected.count == 1 {
                    #expect(ours == expected[0], "layer \(layer), \(size) bytes")
                } else {
                    #expect(ours == nil, "layer \(layer), \(size) bytes")
                }
                // A result writer that disagrees with the length given: declined, not sent.
                #expect(
                    MessageCodec.presizedResponse(rpcID: rpcID, sender: sender, layer: layer, resultLength: max(0, length - 1)) {
                        $0.bencodedBytes(result)
                    } == nil)
            }
        }
    }
}
