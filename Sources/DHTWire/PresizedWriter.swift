/// Writes an encoding whose exact length is known beforehand into scratch sized for it, with a
/// plain store per byte, and makes it an array with one copy; appending to an array instead
/// checks its capacity and uniqueness on every call (a third of the cost of answering
/// `findValue` before this writer).
///
/// Every write is bounds-checked against the size given: a writer asked to write more, or
/// less, than it was sized for makes `bytes(count:_:)` return nil (and the caller takes the
/// array path) instead of trapping or leaving bytes unset. Non-copyable, so that it cannot
/// outlive the storage it points into: it lives only inside `bytes(count:_:)`, on the caller's
/// thread.
public struct PresizedWriter: ~Copyable {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// Bytes written so far.
    public private(set) var count = 0
    /// A write did not fit: the result is discarded.
    private var overflowed = false

    private init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
        self.base = base
        self.capacity = capacity
    }

    /// The `count` bytes `write` writes, or nil if it wrote more or fewer (or `count` < 0).
    public static func bytes(count: Int, _ write: (inout PresizedWriter) -> Void) -> [UInt8]? {
        guard count >= 0 else { return nil }
        // Written in scratch (on the stack for a datagram's size) and copied into the array in
        // one piece: making the array first (`Array(repeating:count:)`,
        // `Array(unsafeUninitializedCapacity:)`) goes through an unspecialized path of the
        // standard library that looks up generic metadata on every call, which costs more.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(count, 1)) { scratch -> [UInt8]? in
            guard let base = scratch.baseAddress else { return nil }
            var writer = PresizedWriter(base: base, capacity: count)
            write(&writer)
            guard !writer.overflowed, writer.count == count else { return nil }
            return Array(UnsafeBufferPointer(start: base, count: count))
        }
    }

    /// Reserves `n` bytes and returns where they start, or nil (and marks the writer) when
    /// they do not fit.
    @inline(__always)
    private mutating func claim(_ n: Int) -> UnsafeMutablePointer<UInt8>? {
        guard !overflowed, n <= capacity - count else {
            overflowed = true
            return nil
        }
        let start = base + count
        count += n
        return start
    }

    @inline(__always)
    public mutating func byte(_ b: UInt8) {
        claim(1)?.pointee = b
    }

    public mutating func bytes(_ b: [UInt8]) {
        b.withUnsafeBufferPointer { source in
            guard let from = source.baseAddress, let to = claim(source.count) else { return }
            to.update(from: from, count: source.count)
        }
    }

    /// A byte string as bencode writes it: `<length>:<bytes>`.
    public mutating func bencodedBytes(_ b: [UInt8]) {
        decimal(Int64(b.count))
        byte(UInt8(ascii: ":"))
        bytes(b)
    }

    /// An integer as bencode writes it: `i<decimal>e`.
    public mutating func bencodedInt(_ v: Int64) {
        byte(UInt8(ascii: "i"))
        decimal(v)
        byte(UInt8(ascii: "e"))
    }

    /// The 40 lowercase hex digits of `id`.
    public mutating func hex(_ id: NodeID) {
        guard let to = claim(40) else { return }
        var words = id.hexWords
        withUnsafeBytes(of: &words) { UnsafeMutableRawPointer(to).copyMemory(from: $0.baseAddress!, byteCount: 40) }
    }

    /// The two digits of 00...99, in order: two digits are written per division.
    private static let digitPairs: StaticString =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    /// `v` in decimal, as Python's `str(int)` writes it.
    public mutating func decimal(_ v: Int64) {
        let length = Self.decimalLength(v)
        guard let to = claim(length) else { return }
        Self.writeDecimal(v, length: length, to: to)
    }

    /// Writes `v` in decimal into the `length` (`decimalLength(v)`) bytes at `to`, right to
    /// left: the one digit writer of the codec (`Bencode` uses it too).
    @inline(__always)
    static func writeDecimal(_ v: Int64, length: Int, to: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var m = v.magnitude
        var i = length
        while m >= 100 {
            let r = Int(m % 100)
            m /= 100
            i -= 2
            to[i] = pairs[2 * r]
            to[i + 1] = pairs[2 * r + 1]
        }
        if m >= 10 {
            i -= 2
            to[i] = pairs[2 * Int(m)]
            to[i + 1] = pairs[2 * Int(m) + 1]
        } else {
            i -= 1
            to[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m)
        }
        if v < 0 { to[0] = UInt8(ascii: "-") }
    }

    /// The length of `decimal(v)`: the digits of its magnitude (at most 20), and one for a
    /// minus sign. Four comparisons and at most three divisions by constants.
    public static func decimalLength(_ v: Int64) -> Int {
        var m = v.magnitude
        var digits = 1
        if m >= 10_000_000_000 {
            digits += 10
            m /= 10_000_000_000
        }
        if m >= 100_000 {
            digits += 5
            m /= 100_000
        }
        if m >= 1000 {
            digits += 3
            m /= 1000
        }
        if m >= 100 {
            digits += 2
        } else if m >= 10 {
            digits += 1
        }
        return v < 0 ? digits + 1 : digits
    }

    /// The length of `bencodedBytes` of `n` bytes.
    public static func bencodedBytesLength(_ n: Int) -> Int { decimalLength(Int64(n)) + 1 + n }

    /// The length of `bencodedInt(v)`.
    public static func bencodedIntLength(_ v: Int64) -> Int { decimalLength(v) + 2 }
}
