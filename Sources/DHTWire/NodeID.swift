/// A 160-bit Kademlia identifier: a node id, an RPC id or a hashed key.
///
/// On the wire it is always 40 lowercase hex characters (docs/protocol.md §6); in memory it is three
/// big-endian words so that XOR distance and ordering are cheap. A value type; thread-safe.
public struct NodeID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bits 159…96.
    public var high: UInt64
    /// Bits 95…32.
    public var middle: UInt64
    /// Bits 31…0 (held in the low half of the word).
    public var low: UInt32

    public static let bitCount = 160
    public static let zero = NodeID(high: 0, middle: 0, low: 0)
    public static let max = NodeID(high: .max, middle: .max, low: .max)

    public init(high: UInt64, middle: UInt64, low: UInt32) {
        self.high = high
        self.middle = middle
        self.low = low
    }

    /// Builds an id from exactly 20 big-endian bytes (a SHA-1 digest).
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 20 else { return nil }
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        for (i, b) in bytes.enumerated() {
            switch i {
            case 0..<8: h = h << 8 | UInt64(b)
            case 8..<16: m = m << 8 | UInt64(b)
            default: l = l << 8 | UInt32(b)
            }
        }
        self.init(high: h, middle: m, low: l)
    }

    /// Parses exactly 40 hex digits (either case), as every id on the wire is written.
    public init?(hex: some StringProtocol) {
        self.init(hexUTF8: Array(hex.utf8))
    }

    /// Parses exactly 40 hex digits given as ASCII bytes.
    public init?(hexUTF8 bytes: [UInt8]) {
        guard let id = bytes.withUnsafeBufferPointer({ NodeID(hexASCII: $0) }) else { return nil }
        self = id
    }

    /// Parses exactly 40 hex digits (either case) in place: the decoder's allocation-free path.
    /// Reads the digits eight at a time (`HexWords`).
    init?(hexASCII b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 40, let base = b.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        @inline(__always) func word(_ i: Int) -> UInt32? {
            HexWords.parse(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))
        }
        guard let w0 = word(0), let w1 = word(1), let w2 = word(2), let w3 = word(3), let w4 = word(4) else { return nil }
        self.init(high: UInt64(w0) << 32 | UInt64(w1), middle: UInt64(w2) << 32 | UInt64(w3), low: w4)
    }

    /// The value of hex digit `c` (either case) in the low four bits, with bit 4 set for any
    /// other byte. Without branches: ids are random, so a branch per digit (digit or letter?)
    /// would be mispredicted about every other time.
    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8 {
        // Which bytes are hex digits, as a bitmap per 64-byte block: '0'-'9' in the first,
        // 'A'-'F' and 'a'-'f' in the second, none at or above 0x80.
        let block: UInt64 = c < 0x40 ? 0x03ff_0000_0000_0000 : (c < 0x80 ? 0x0000_007e_0000_007e : 0)
        let invalid = UInt8(truncatingIfNeeded: (block >> UInt64(c & 63)) & 1) ^ 1
        // '0'-'9' are 0x30-0x39 (bit 6 clear); 'A'-'F' and 'a'-'f' end in 1-6 with bit 6 set.
        let value = (c & 0xf) &+ 9 &* (c >> 6)
        return (value & 0xf) | invalid << 4
    }

    /// Appends the 40 lowercase hex characters to `out` without intermediate allocations.
    public func appendHexUTF8(to out: inout [UInt8]) {
        var words = hexWords
        withUnsafeBytes(of: &words) { out.append(contentsOf: $0) }
    }

    /// The 40 lowercase hex digits as five words of eight (`HexWords.format`), stored
    /// little-endian: their bytes in memory are the digits in order.
    @inline(__always)
    var hexWords: (UInt64, UInt64, UInt64, UInt64, UInt64) {
        (
            HexWords.format(UInt32(truncatingIfNeeded: high >> 32)).littleEndian,
            HexWords.format(UInt32(truncatingIfNeeded: high)).littleEndian,
            HexWords.format(UInt32(truncatingIfNeeded: middle >> 32)).littleEndian,
            HexWords.format(UInt32(truncatingIfNeeded: middle)).littleEndian,
            HexWords.format(low).littleEndian
        )
    }

    /// Parses 1 to 40 hex digits as an unsigned number, the way Python's `int(s, 16)` reads a key
    /// (docs/protocol.md §6); shorter strings are left-padded with zeros.
    public init?(keyHexUTF8 bytes: [UInt8]) {
        // Keys are nearly always ids written in full: the word-at-a-time path.
        if bytes.count == 40 {
            guard let id = bytes.withUnsafeBufferPointer({ NodeID(hexASCII: $0) }) else { return nil }
            self = id
            return
        }
        guard (1...40).contains(bytes.count) else { return nil }
        // Shifts each digit in from the right through the three words (at most 40 digits: no
        // digit is shifted out of the top).
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt64 = 0
        var seen: UInt8 = 0
        for c in bytes {
            let v = NodeID.nibble(c)
            seen |= v
            h = h << 4 | m >> 60
            m = m << 4 | l >> 28
            l = (l << 4 | UInt64(v & 0xf)) & 0xffff_ffff
        }
        guard seen & 0xf0 == 0 else { return nil }
        self.init(high: h, middle: m, low: UInt32(truncatingIfNeeded: l))
    }

    /// The 20 big-endian bytes.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(20)
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: high >> UInt64(s))) }
        for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: middle >> UInt64(s))) }
        for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: low >> UInt32(s))) }
        return out
    }

    /// The 40 lowercase hex characters as ASCII bytes, as written on the wire.
    public var hexUTF8: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(40)
        appendHexUTF8(to: &out)
        return out
    }

    /// The 40 lowercase hex characters.
    public var hex: String { String(decoding: hexUTF8, as: UTF8.self) }

    public var description: String { hex }

    /// A short form for narrow displays: the first `count` hex digits.
    public func shortHex(_ count: Int = 8) -> String { String(hex.prefix(count)) }

    /// Kademlia's XOR metric.
    @inline(__always)
    public static func ^ (a: NodeID, b: NodeID) -> NodeID {
        NodeID(high: a.high ^ b.high, middle: a.middle ^ b.middle, low: a.low ^ b.low)
    }

    /// The XOR distance to `other`, itself a 160-bit number.
    @inline(__always)
    public func distance(to other: NodeID) -> NodeID { self ^ other }

    /// The number of leading zero bits (160 for zero).
    public var leadingZeroBitCount: Int {
        if high != 0 { return high.leadingZeroBitCount }
        if middle != 0 { return 64 + middle.leadingZeroBitCount }
        return 128 + low.leadingZeroBitCount
    }

    /// How many leading bits `self` and `other` share (160 when equal).
    public func commonPrefixLength(with other: NodeID) -> Int { (self ^ other).leadingZeroBitCount }

    /// Bit `index`, counted from the most significant (0) to the least (159).
    public func bit(_ index: Int) -> Bool {
        precondition((0..<160).contains(index))
        switch index {
        case 0..<64: return (high >> UInt64(63 - index)) & 1 == 1
        case 64..<128: return (middle >> UInt64(127 - index)) & 1 == 1
        default: return (low >> UInt32(159 - index)) & 1 == 1
        }
    }

    /// A copy with bit `index` (0 = most significant) set to `value`.
    public func setting(bit index: Int, to value: Bool) -> NodeID {
        precondition((0..<160).contains(index))
        var c = self
        switch index {
        case 0..<64:
            let m = UInt64(1) << UInt64(63 - index)
            c.high = value ? c.high | m : c.high & ~m
        case 64..<128:
            let m = UInt64(1) << UInt64(127 - index)
            c.middle = value ? c.middle | m : c.middle & ~m
        default:
            let m = UInt32(1) << UInt32(159 - index)
            c.low = value ? c.low | m : c.low & ~m
        }
        return c
    }

    /// Unsigned numeric order, which for distances is "closer first".
    @inline(__always)
    public static func < (a: NodeID, b: NodeID) -> Bool {
        if a.high != b.high { return a.high < b.high }
        if a.middle != b.middle { return a.middle < b.middle }
        return a.low < b.low
    }

    /// A uniformly random id drawn from `generator`.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> NodeID {
        NodeID(high: generator.next(), middle: generator.next(), low: UInt32(truncatingIfNeeded: generator.next() as UInt64))
    }
}

extension NodeID {
    /// Decodes the 40-hex-digit form written by `encode(to:)`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = NodeID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a 40-hex-digit id: \(text)"))
        }
        self = id
    }

    /// Encodes as 40 lowercase hex digits.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}
