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
    init?(hexASCII b: UnsafeBufferPointer<UInt8>) {
        guard b.count == 40 else { return nil }
        var h: UInt64 = 0, m: UInt64 = 0, l: UInt32 = 0
        for i in 0..<16 {
            guard let v = NodeID.hexValue(b[i]) else { return nil }
            h = h << 4 | UInt64(v)
        }
        for i in 16..<32 {
            guard let v = NodeID.hexValue(b[i]) else { return nil }
            m = m << 4 | UInt64(v)
        }
        for i in 32..<40 {
            guard let v = NodeID.hexValue(b[i]) else { return nil }
            l = l << 4 | UInt32(v)
        }
        self.init(high: h, middle: m, low: l)
    }

    /// Appends the 40 lowercase hex characters to `out` without intermediate allocations.
    func appendHexUTF8(to out: inout [UInt8]) {
        // Eight zeroed UInt64 words: 64 bytes of stack scratch, 40 of them used.
        var scratch: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { raw in
            @inline(__always) func put(_ word: UInt64, nibbles: Int, at offset: Int) {
                for k in 0..<nibbles {
                    let v = UInt8(truncatingIfNeeded: word >> UInt64(4 * (nibbles - 1 - k))) & 0xf
                    raw[offset + k] = v < 10 ? 0x30 + v : 0x57 + v
                }
            }
            put(high, nibbles: 16, at: 0)
            put(middle, nibbles: 16, at: 16)
            put(UInt64(low), nibbles: 8, at: 32)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<40]))
        }
    }

    /// Parses 1 to 40 hex digits as an unsigned number, the way Python's `int(s, 16)` reads a key
    /// (docs/protocol.md §6); shorter strings are left-padded with zeros.
    public init?(keyHexUTF8 bytes: [UInt8]) {
        guard (1...40).contains(bytes.count) else { return nil }
        self.init(hexDigits: Array(repeating: UInt8(ascii: "0"), count: 40 - bytes.count) + bytes)
    }

    private init?(hexDigits bytes: [UInt8]) {
        var words: (UInt64, UInt64, UInt32) = (0, 0, 0)
        for (i, c) in bytes.enumerated() {
            guard let v = NodeID.hexValue(c) else { return nil }
            switch i {
            case 0..<16: words.0 = words.0 << 4 | UInt64(v)
            case 16..<32: words.1 = words.1 << 4 | UInt64(v)
            default: words.2 = words.2 << 4 | UInt32(v)
            }
        }
        self.init(high: words.0, middle: words.1, low: words.2)
    }

    @inline(__always)
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
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
