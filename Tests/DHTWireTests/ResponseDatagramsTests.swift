import DHTWire
import Testing

/// `MessageCodec.responseDatagrams` writes a response's envelope around a result written in
/// place: the same bytes as `datagrams(for:)` of the `.response` message, fragments included.
@Suite struct ResponseDatagramsTests {
    static func value(_ g: inout SplitMix64, depth: Int = 0) -> BValue {
        switch g.below(depth > 2 ? 2 : 4) {
        case 0: return .int(Int64(bitPattern: g.next()) >> UInt64(g.below(64)))
        case 1: return .bytes((0..<g.below(depth == 0 ? 20_000 : 40)).map { _ in UInt8(truncatingIfNeeded: g.next()) })
        case 2: return .list((0..<g.below(4)).map { _ in value(&g, depth: depth + 1) })
        default:
            var d: [BKey: BValue] = [:]
            for _ in 0..<g.below(4) { d[g.below(2) == 0 ? .int(Int64(g.below(100)) - 50) : .bytes([UInt8(g.below(256))])] = value(&g, depth: depth + 1) }
            return .dict(d)
        }
    }

    @Test func resultsWrittenInPlaceMatchTheMessagePath() throws {
        var g = SplitMix64(seed: 21)
        for layer in [0, 1, 9, 10, 1023] {
            for _ in 0..<200 {
                let result = Self.value(&g)
                let rpcID = NodeID.random(using: &g), sender = NodeID.random(using: &g)
                let ours = try MessageCodec.responseDatagrams(rpcID: rpcID, sender: sender, layer: layer, capacity: g.below(600)) {
                    Bencode.encode(result, into: &$0)
                }
                let expected = try MessageCodec.datagrams(for: WireMessage(rpcID: rpcID, sender: sender, layer: layer, body: .response(result)))
                #expect(ours == expected, "layer \(layer)")
            }
        }
    }
}
