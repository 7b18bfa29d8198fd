/// Writes an encoding whose exact length is known beforehand straight into a new array's
/// storage: one allocation and a plain store per byte, where appending to an array checks its
/// capacity and uniqueness on every call (a third of the cost of answering `findValue`).
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
        // Zeroed first: `Array(unsafeUninitializedCapacity:)` is not specialized for UInt8 in
        // the standard library and looks up generic metadata on every call, which costs more
        // than clearing a few hundred bytes.
        var out = [UInt8](repeating: 0, count: count)
        let complete = out.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return count == 0 }
            var writer = PresizedWriter(base: base, capacity: count)
            write(&writer)
            return !writer.overflowed && writer.count == count
        }
        return complete ? out : nil
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

    /// `v` in decimal, as Python's `str(int)` writes it.
    public mutating func decimal(_ v: Int64) {
        let length = Self.decimalLength(v)
        guard let to = claim(length) else { return }
        var m = v.magnitude
        var i = length
        repeat {
            i -= 1
            to[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: m % 10)
            m /= 10
        } while m > 0
        if v < 0 { to[0] = UInt8(ascii: "-") }
    }

    /// The length of `decimal(v)`: the digits of its magnitude, and one for a minus sign.
    public static func decimalLength(_ v: Int64) -> Int {
        var m = v.magnitude
        var digits = 1
        while m >= 10 {
            m /= 10
            digits += 1
        }
        return v < 0 ? digits + 1 : digits
    }

    /// The length of `bencodedBytes` of `n` bytes.
    public static func bencodedBytesLength(_ n: Int) -> Int { decimalLength(Int64(n)) + 1 + n }

    /// The length of `bencodedInt(v)`.
    public static func bencodedIntLength(_ v: Int64) -> Int { decimalLength(v) + 2 }
}
