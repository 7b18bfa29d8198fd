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

    /// The 40 digits written one at a time, most significant first, lowercase.
    static func referenceHex(_ id: NodeID) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for s in stride(from: 60, through: 0, by: -4) { out.append(digits[Int(id.high >> UInt64(s) & 0xf)]) }
        for s in stride(from: 60, through: 0, by: -4) { out.append(digits[Int(id.middle >> UInt64(s) & 0xf)]) }
        for s in stride(from: 28, through: 0, by: -4) { out.append(digits[Int(id.low >> UInt32(s) & 0xf)]) }
        return out
    }

    @Test func writtenIdsMatchTheDigitByDigitReference() {
        var rng = SplitMix64(seed: 29)
        // Random ids, and ids whose every digit is the same (each of the 16 values in every place).
        let uniform = (0..<16).map { d -> NodeID in
            let n = UInt64(d) &* 0x1111_1111_1111_1111
            return NodeID(high: n, middle: n, low: UInt32(truncatingIfNeeded: n))
        }
        for id in uniform + [.zero, .max] + (0..<2000).map({ _ in NodeID.random(using: &rng) }) {
            #expect(id.hexUTF8 == Self.referenceHex(id), "\(id.high) \(id.middle) \(id.low)")
            var appended: [UInt8] = [7]
            id.appendHexUTF8(to: &appended)
            #expect(appended == [7] + Self.referenceHex(id))
        }
    }

    @Test func everyByteValueInEveryPlaceOfAWordParsesLikeTheReference() {
        // `HexWords.parse` on its own: one non-digit anywhere rejects the word, every digit
        // reads as its value.
        let sample = Array("9aF0c3Be".utf8)
        for position in 0..<8 {
            for byte in 0...255 {
                var text = sample
                text[position] = UInt8(byte)
                let word = text.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
                let expected = UInt32(String(decoding: text, as: UTF8.self), radix: 16)
                let isHex = text.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x46).contains($0) || (0x61...0x66).contains($0) }
                #expect(HexWords.parse(word) == (isHex ? expected : nil), "byte \(byte) at \(position)")
            }
        }
    }
}
