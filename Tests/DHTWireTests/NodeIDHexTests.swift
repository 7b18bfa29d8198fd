import Testing

@testable import DHTWire

/// The id parsers read every byte a peer sends: each is compared with a plain reference reading
/// (digit by digit, rejecting at the first non-hex byte) on every byte value in every position,
/// on random mixed-case ids and on keys of every length, including hostile ones.
@Suite struct NodeIDHexTests {
    /// The reference: Python's `int(s, 16)` for 1…40 hex digits, as three words.
    static func reference(_ bytes: [UInt8]) -> NodeID? {
        guard (1...40).contains(bytes.count) else { return nil }
        var digits: [UInt8] = Array(repeating: 0, count: 40 - bytes.count)
        for c in bytes {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digits.append(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digits.append(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        for d in digits[0..<16] { h = h << 4 | UInt64(d) }
        for d in digits[16..<32] { m = m << 4 | UInt64(d) }
        for d in digits[32..<40] { l = l << 4 | UInt32(d) }
        return NodeID(high: h, middle: m, low: l)
    }

    static let sample = Array("0123456789abcdefABCDEF0123456789fedcba98".utf8)

    @Test func everyByteInEveryPositionParsesLikeTheReference() {
        for position in 0..<40 {
            for byte in 0...255 {
                var text = Self.sample
                text[position] = UInt8(byte)
                #expect(NodeID(hexUTF8: text) == Self.reference(text), "byte \(byte) at \(position)")
                #expect(NodeID(keyHexUTF8: text) == Self.reference(text), "byte \(byte) at \(position)")
            }
        }
    }

    @Test func randomIdsRoundTripInEitherCase() {
        var rng = SplitMix64(seed: 13)
        for _ in 0..<2000 {
            let id = NodeID.random(using: &rng)
            let lower = id.hexUTF8
            let mixed = lower.map { c -> UInt8 in
                c >= UInt8(ascii: "a") && rng.next() & 1 == 1 ? c - 0x20 : c
            }
            #expect(NodeID(hexUTF8: lower) == id)
            #expect(NodeID(hexUTF8: mixed) == id)
            #expect(NodeID(keyHexUTF8: mixed) == id)
        }
    }

    @Test func keysOfEveryLengthParseLikeTheReference() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("0123456789abcdefABCDEFgG /:\u{7f}".utf8) + [0, 0x80, 0xc3, 0xff]
        for length in 0...44 {
            for trial in 0..<200 {
                // Mostly hex digits; some trials carry one hostile byte.
                var key = (0..<length).map { _ in alphabet[Int(rng.next() % 22)] }
                if trial % 4 == 0, length > 0 { key[Int(rng.next() % UInt64(length))] = alphabet[Int(rng.next() % UInt64(alphabet.count))] }
                #expect(NodeID(keyHexUTF8: key) == Self.reference(key), "\(key)")
                #expect(NodeID(hexUTF8: key) == (length == 40 ? Self.reference(key) : nil), "\(key)")
            }
        }
    }
}
