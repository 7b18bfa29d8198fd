import Testing
import DHTWire

/// A tiny deterministic generator (SplitMix64) so every fuzz run sees the same inputs.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}

/// Random and mutated inputs through classify → reassemble → decode: nothing may crash, and
/// whatever decodes must re-encode to bytes that decode to the same value.
@Suite struct FuzzTests {
    static let alphabet = Array("ilde0123456789:-ab".utf8) + [0x00, 0xff, 0xc3, 0xa9]
    static let seeds: [[UInt8]] = Corpus.datagrams.map(\.bytes).filter { $0.count < 1_000 }

    static func randomInput(_ g: inout SplitMix64) -> [UInt8] {
        let seeds = Self.seeds
        switch g.below(6) {
        case 0:  // raw noise
            return (0..<g.below(200)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        case 1:  // bencode-ish noise
            return (0..<g.below(200)).map { _ in alphabet[g.below(alphabet.count)] }
        case 2:  // bit flips in a real datagram
            var d = seeds[g.below(seeds.count)]
            for _ in 0...g.below(8) { d[g.below(d.count)] ^= UInt8(1) << UInt8(g.below(8)) }
            return d
        case 3:  // truncation
            let d = seeds[g.below(seeds.count)]
            return Array(d[..<g.below(d.count + 1)])
        case 4:  // splice two datagrams
            let a = seeds[g.below(seeds.count)], b = seeds[g.below(seeds.count)]
            return Array(a[..<g.below(a.count + 1)]) + Array(b[g.below(b.count + 1)...])
        default:  // overwrite a run with bencode tokens, sometimes without the header
            var d = seeds[g.below(seeds.count)]
            if g.below(2) == 0, d.count > 46 { d.removeFirst(46) }
            let at = g.below(d.count)
            for i in at..<min(d.count, at + g.below(6) + 1) { d[i] = alphabet[g.below(alphabet.count)] }
            return d
        }
    }

    /// Decoding the re-encoding of a decoded value gives the value back, and the envelope fast
    /// path agrees with the generic decoder on every input (value or error code).
    static func checkStable(_ bytes: [UInt8]) -> Bool {
        let fast = Result { () throws(DecodeError) in try MessageCodec.decode(bytes) }
        let slow = Result { () throws(DecodeError) in try MessageCodec.message(from: Bencode.decode(bytes)) }
        switch (fast, slow) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect(a == b, "\(bytes)")
        default: Issue.record("fast \(fast) vs generic \(slow) on \(bytes)")
        }
        guard let value = try? Bencode.decode(bytes) else { return false }
        let again = Bencode.encode(value)
        #expect((try? Bencode.decode(again)) == value)
        if let message = try? MessageCodec.message(from: value) {
            #expect((try? MessageCodec.decode(MessageCodec.encode(message))) == message)
        }
        return true
    }

    @Test func hundredThousandHostileInputs() {
        var g = SplitMix64(seed: 0xD17_0B)
        var limits = ReassemblyLimits()
        limits.maxBufferedBytes = 64 << 10
        limits.maxPendingSets = 16
        var reassembler = Reassembler<Int>(limits: limits)
        var now = Timestamp(unixSeconds: 1_800_000_000)
        var decoded = 0, framed = 0, completed = 0
        for _ in 0..<100_000 {
            let input = Self.randomInput(&g)
            now = now + .milliseconds(g.below(50))
            switch Framing.classify(input) {
            case .unframed(let bytes):
                if Self.checkStable(bytes) { decoded += 1 }
            case .framed(let header, let payload):
                framed += 1
                if Self.checkStable(Array(payload)) { decoded += 1 }
                if case .complete(let joined) = reassembler.receive(header, payload: payload, from: g.below(4), now: now) {
                    completed += 1
                    _ = Self.checkStable(joined)
                }
            case .invalid:
                break
            }
            #expect(reassembler.bufferedBytes <= limits.maxBufferedBytes)
            #expect(reassembler.pendingSets <= limits.maxPendingSets)
        }
        reassembler.expire(now: now + .seconds(60))
        #expect(reassembler.pendingSets == 0 && reassembler.bufferedBytes == 0)
        #expect(decoded > 1_000 && framed > 10_000 && completed > 1_000)
        print("fuzz: 100000 inputs, \(framed) framed, \(decoded) decoded, \(completed) reassembled")
    }

    @Test func fragmentsOfRandomSetsNeverLeak() {
        // Random headers with small totals from a few sources; the reassembler must stay bounded.
        var g = SplitMix64(seed: 42)
        var limits = ReassemblyLimits()
        limits.maxBufferedBytes = 8 << 10
        limits.maxPendingSets = 8
        var r = Reassembler<Int>(limits: limits)
        let ids = (0..<12).map { _ in NodeID.random(using: &g) }
        var now = Timestamp(unixSeconds: 0)
        for _ in 0..<20_000 {
            now = now + .milliseconds(g.below(200))
            let total = UInt16(1 + g.below(4))
            let header = FrameHeader(total: total, seq: UInt16(g.below(Int(total))), rpcID: ids[g.below(ids.count)])
            let payload = [UInt8](repeating: 1, count: g.below(3_000))
            _ = r.receive(header, payload: payload[...], from: g.below(3), now: now)
            #expect(r.bufferedBytes <= limits.maxBufferedBytes && r.pendingSets <= limits.maxPendingSets)
        }
    }
}
