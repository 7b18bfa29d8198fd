import DHTWire
import Testing

/// Finding 11: integers beyond Int64 fail the strict decoder, and the lenient envelope decoder
/// reads them saturated and says so, keeping the envelope answerable.
@Suite struct HostileIntegerWireTests {
    static func envelope(args literal: String) -> [UInt8] {
        let id = String(repeating: "a", count: 40)
        return Array("di0ei0ei1e40:\(id)i2e40:\(id)i3e5:storei4el\(literal)ei5ei0ee".utf8)
    }

    @Test(arguments: [
        ("i99999999999999999999e", Int64.max), ("i-99999999999999999999e", Int64.min),
        ("i9223372036854775808e", Int64.max), ("i-9223372036854775809e", Int64.min)
    ])
    func beyond64BitsIsReportedNotThrownByTheLenientDecoder(literal: String, saturated: Int64) throws {
        let bytes = Self.envelope(args: literal)
        #expect(throws: DecodeError.self) { try MessageCodec.decode(bytes) }
        do {
            _ = try MessageCodec.decode(bytes)
        } catch {
            #expect(error.code == .integerOverflow)
        }
        let lenient = try MessageCodec.decodeAnswerable(bytes)
        #expect(lenient.overflowed)
        #expect(lenient.message.body == .request(method: "store", args: [.int(saturated)]))
    }

    @Test(arguments: ["i9223372036854775807e", "i-9223372036854775808e", "i0e", "i-1e"])
    func theExtremesOfInt64AreNotOverflows(literal: String) throws {
        let lenient = try MessageCodec.decodeAnswerable(Self.envelope(args: literal))
        #expect(!lenient.overflowed)
        #expect(try MessageCodec.decode(Self.envelope(args: literal)) == lenient.message)
    }

    @Test func malformedIntegersStayErrorsInTheLenientDecoder() {
        for literal in ["i-0e", "i012e", "ie", "i1x2e", "i99999999999999999999"] {
            #expect(throws: DecodeError.self, "\(literal)") { try MessageCodec.decodeAnswerable(Self.envelope(args: literal)) }
        }
    }

    @Test func anOverflowingLayerIsStillDropped() {
        let id = String(repeating: "b", count: 40)
        let bytes = Array("di0ei0ei1e40:\(id)i2e40:\(id)i3e4:pingi4elei5ei99999999999999999999ee".utf8)
        #expect(throws: DecodeError.self) { try MessageCodec.decodeAnswerable(bytes) }
    }

    /// Every integer is written as Python writes it (`str(int)`): the ends of Int64, every
    /// power of ten and its neighbours, and random values of every size.
    @Test func integersAreWrittenAsTheirDecimalText() {
        var values: [Int64] = [0, 1, -1, .max, .min, .max - 1, .min + 1]
        var p: Int64 = 1
        for _ in 0..<18 {
            p *= 10
            values += [p - 1, p, p + 1, -(p - 1), -p, -(p + 1)]
        }
        var rng = SplitMix64(seed: 5)
        for _ in 0..<2000 { values.append(Int64(bitPattern: rng.next()) >> Int64(rng.next() % 64)) }
        for v in values {
            #expect(Bencode.encode(.int(v)) == Array("i\(v)e".utf8), "\(v)")
            let length = Int(v.magnitude % 1000)
            let prefix = Bencode.encode(.bytes(Array(repeating: 0x61, count: length))).prefix(while: { $0 != 0x3a })
            #expect(prefix == ArraySlice("\(length)".utf8))
        }
    }
}
