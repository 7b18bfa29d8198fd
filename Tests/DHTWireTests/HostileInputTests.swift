import Foundation
import Testing
import DHTWire

/// Malformed and malicious inputs: each must fail with the right typed error, quickly, and
/// without allocating from untrusted lengths.
@Suite struct HostileInputTests {
    static func code(_ text: String, limits: DecodeLimits = .default) -> DecodeError.Code? {
        code(Array(text.utf8), limits: limits)
    }

    static func code(_ bytes: [UInt8], limits: DecodeLimits = .default) -> DecodeError.Code? {
        do {
            _ = try Bencode.decode(bytes, limits: limits)
            return nil
        } catch {
            return error.code
        }
    }

    @Test func everyProperPrefixOfRealMessagesFails() {
        for (datagram, _) in Corpus.completeMessages.prefix(60) {
            let payload = Array(datagram.bytes[FrameHeader.size...])
            for length in 0..<payload.count {
                let c = Self.code(Array(payload[..<length]))
                #expect(c == (length == 0 ? .empty : .truncated), "prefix \(length) of #\(datagram.number)")
            }
        }
    }

    @Test func unterminatedContainersThatHangPython() {
        #expect(Self.code("l1:a") == .truncated)
        #expect(Self.code("d1:ai1e") == .truncated)
        #expect(Self.code("d1:a") == .truncated)
        #expect(Self.code("l") == .truncated)
        #expect(Self.code("d") == .truncated)
    }

    /// Rejected where the limit is crossed, not after reading on: the error's offset is the
    /// first container past the limit (no clock needed to show the work is bounded).
    @Test func deepNestingIsRejectedAtTheLimit() throws {
        let deep = [UInt8](repeating: UInt8(ascii: "l"), count: 100_000)
        #expect(Self.code(deep) == .depthExceeded)
        let balanced = deep + [UInt8](repeating: UInt8(ascii: "e"), count: 100_000)
        #expect(Self.code(balanced) == .depthExceeded)
        let limit = DecodeLimits.default.maxDepth
        do {
            _ = try Bencode.decode(balanced)
            Issue.record("decoded 100,000 nested lists")
        } catch {
            #expect(error.code == .depthExceeded)
            #expect(error.offset <= limit + 1, "stopped at \(error.offset), the depth limit is \(limit)")
        }
        // A generous limit is honoured: the decoder is iterative. (Values far deeper than this
        // would overflow the stack in BValue's own recursive destruction, hence the limit.)
        var limits = DecodeLimits()
        limits.maxDepth = 2_000
        let nested = Array(deep[..<2_000]) + Array(balanced[(200_000 - 2_000)...])
        #expect(Self.code(nested, limits: limits) == nil)
        #expect(Self.code(nested) == .depthExceeded)
        #expect(Self.code("llee") == nil)
    }

    @Test func hugeLengthPrefixFailsWithoutAllocating() {
        #expect(Self.code("99999999999:") == .lengthTooLarge)
        #expect(Self.code("99999999999999999999999999999999999:abc") == .lengthTooLarge)
        #expect(Self.code("l4294967296:e") == .lengthTooLarge)
        #expect(Self.code("5:abc") == .truncated)
        #expect(Self.code("3") == .truncated)
        #expect(Self.code("3x") == .unexpectedByte)
        #expect(Self.code("03:abc") == .badInteger)
        #expect(Self.code("0:") == nil)
    }

    @Test func malformedIntegers() throws {
        #expect(Self.code("i-0e") == .badInteger)
        #expect(Self.code("i01e") == .badInteger)
        #expect(Self.code("i-01e") == .badInteger)
        #expect(Self.code("ie") == .badInteger)
        #expect(Self.code("i-e") == .badInteger)
        #expect(Self.code("i1-e") == .badInteger)
        #expect(Self.code("i 1e") == .badInteger)
        #expect(Self.code("i99999999999999999999e") == .integerOverflow)
        #expect(Self.code("i9223372036854775808e") == .integerOverflow)
        #expect(Self.code("i-9223372036854775809e") == .integerOverflow)
        #expect(Self.code("i12") == .truncated)
        #expect(Self.code("i") == .truncated)
        #expect(try Bencode.decode(Array("i9223372036854775807e".utf8)) == .int(.max))
        #expect(try Bencode.decode(Array("i-9223372036854775808e".utf8)) == .int(.min))
        #expect(try Bencode.decode(Array("i0e".utf8)) == .int(0))
        #expect(try Bencode.decode(Array("i-3e".utf8)) == .int(-3))
    }

    /// `UTF8Check` (the decoder's and `BValue.string`'s check) accepts exactly what Swift's own
    /// validation does: every sequence of one to three bytes, every lead byte with two
    /// (from 0xf0, three) bytes of each kind, and random strings with bytes from every class.
    @Test func utf8CheckAgreesWithSwiftsValidationOnEverySequence() {
        func check(_ b: [UInt8]) {
            #expect(UTF8Check.isValid(b) == (String(validating: b, as: UTF8.self) != nil), "\(b)")
            #expect(BValue.bytes(b).string == String(validating: b, as: UTF8.self), "\(b)")
        }
        for a in 0...255 {
            check([UInt8(a)])
            for b in 0...255 { check([UInt8(a), UInt8(b)]) }
        }
        let edges: [UInt8] = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff]
        for a in 0xc0...0xff {
            for b in edges {
                for c in edges {
                    check([UInt8(a), b, c])
                    // Four-byte forms start at 0xf0; below, the third byte decides already.
                    if a >= 0xf0 { for d in edges { check([UInt8(a), b, c, d]) } }
                }
            }
        }
        var rng = SplitMix64(seed: 3)
        for _ in 0..<5000 {
            let text = (0..<Int(rng.next() % 24)).map { _ in edges[Int(rng.next() % UInt64(edges.count))] }
            check(text)
            check(Array("ascii run of eight".utf8) + text)
        }
    }

    @Test func nonUTF8StringsAreDroppedLikePython() throws {
        let bad: [[UInt8]] = [
            [0xff], [0xc3], [0xc0, 0x80], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80],  // overlong, surrogate
            [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]
        ]
        for b in bad {
            let encoded = Array("\(b.count):".utf8) + b
            #expect(Self.code(encoded) == .invalidUTF8, "\(b)")
            #expect(Self.code(Array("d".utf8) + encoded + Array("i0ee".utf8)) == .invalidUTF8, "key \(b)")
            var lax = DecodeLimits()
            lax.requireUTF8Strings = false
            #expect(Self.code(encoded, limits: lax) == nil)
        }
        #expect(try Bencode.decode(Array("2:\u{e9}".utf8)) == .string("é"))
        #expect(try Bencode.decode(Array("4:\u{1F600}".utf8)) == .string("😀"))
        #expect(UTF8Check.isValid(Array("long ascii run then é and 😀 and more ascii text".utf8)))
    }

    @Test func structuralErrors() throws {
        #expect(Self.code("") == .empty)
        #expect(Self.code("i1ei2e") == .trailingBytes)
        #expect(Self.code("lee") == .trailingBytes)
        #expect(Self.code("e") == .unexpectedByte)
        #expect(Self.code("x") == .unexpectedByte)
        #expect(Self.code("f2.500000e") == .unexpectedByte)
        #expect(Self.code("dlee1:ae") == .unexpectedByte)  // a list cannot be a key
        #expect(Self.code("d1:ae") == .unexpectedByte)  // a key without a value
        #expect(try Bencode.decode(Array("d1:ai1e1:ai2ee".utf8)) == .dict(["a": 2]))  // last wins
        #expect(try Bencode.decode(Array("di1e1:xi-2e1:ye".utf8)) == .dict([1: "x", -2: "y"]))
    }

    @Test func sizeAndItemLimits() {
        var limits = DecodeLimits()
        limits.maxItems = 3
        #expect(Self.code("li1ei2ee", limits: limits) == nil)
        #expect(Self.code("li1ei2ei3ee", limits: limits) == .tooManyItems)
        limits = DecodeLimits()
        limits.maxTotalBytes = 4
        #expect(Self.code("4:abc", limits: limits) == .tooLarge)
        #expect(Self.code("i12e", limits: limits) == nil)
        limits = DecodeLimits()
        limits.maxDepth = 2
        #expect(Self.code("llee", limits: limits) == nil)
        #expect(Self.code("llleee", limits: limits) == .depthExceeded)
    }

    @Test func badEnvelopes() {
        func problem(_ value: BValue) -> DecodeError.EnvelopeProblem? {
            do {
                _ = try MessageCodec.message(from: value)
                return nil
            } catch { return error.envelope }
        }
        let id: BValue = .bytes(Array(repeating: UInt8(ascii: "a"), count: 40))
        let good: [BKey: BValue] = [0: 0, 1: id, 2: id, 3: "ping", 4: [], 5: 0]
        func with(_ key: BKey, _ value: BValue?) -> BValue {
            var d = good
            d[key] = value
            return .dict(d)
        }
        #expect(problem(.dict(good)) == nil)
        #expect(problem(with(5, nil)) == nil)  // missing layer is layer 0
        #expect(problem(["x"]) == .notADict)
        #expect(problem(with(0, nil)) == .missingType)
        #expect(problem(with(0, 7)) == .unknownType)
        #expect(problem(with(0, "0")) == .unknownType)
        #expect(problem(with(1, "abc")) == .badRPCID)
        #expect(problem(with(2, .bytes(Array(repeating: UInt8(ascii: "g"), count: 40)))) == .badSender)
        #expect(problem(with(2, .bytes(Array(repeating: UInt8(ascii: "a"), count: 39)))) == .badSender)
        #expect(problem(with(3, 5)) == .badMethod)
        #expect(problem(with(3, .bytes([0xff]))) == .badMethod)
        #expect(problem(with(4, "x")) == .badArgs)
        #expect(problem(with(5, "0")) == .badLayer)
        #expect(problem(with(5, 1024)) == .layerOutOfRange)
        #expect(problem(with(5, -1)) == .layerOutOfRange)
        var response = good
        response[0] = 1
        response[3] = nil
        #expect(problem(.dict(response)) == .missingResult)
        var error = good
        error[0] = 2
        error[4] = 9
        #expect(problem(.dict(error)) == .badErrorMessage)
        error[3] = []
        #expect(problem(.dict(error)) == .badErrorType)
    }
}
