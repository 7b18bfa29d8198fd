/// BitDust's bencode dialect (docs/protocol.md §4): encoding and bounded decoding of `BValue`.
/// Stateless; thread-safe.
public enum Bencode {
    /// Encodes `value` with dict entries sorted by their encoded key bytes, as Python does.
    public static func encode(_ value: BValue) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(128)
        encode(value, into: &out)
        return out
    }

    /// Appends the encoding of `value` to `out`.
    public static func encode(_ value: BValue, into out: inout [UInt8]) {
        switch value {
        case .int(let i):
            out.append(UInt8(ascii: "i"))
            appendDecimal(i, to: &out)
            out.append(UInt8(ascii: "e"))
        case .bytes(let b):
            appendDecimal(Int64(b.count), to: &out)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: b)
        case .list(let items):
            out.append(UInt8(ascii: "l"))
            for item in items { encode(item, into: &out) }
            out.append(UInt8(ascii: "e"))
        case .dict(let entries):
            out.append(UInt8(ascii: "d"))
            var encoded = entries.map { (key: encodeKey($0.key), value: $0.value) }
            encoded.sort { $0.key.lexicographicallyPrecedes($1.key) }
            for e in encoded {
                out.append(contentsOf: e.key)
                encode(e.value, into: &out)
            }
            out.append(UInt8(ascii: "e"))
        }
    }

    /// The encoding of a dict key on its own, the thing dict entries are sorted by.
    public static func encodeKey(_ key: BKey) -> [UInt8] {
        var out = [UInt8]()
        switch key {
        case .int(let i): encode(.int(i), into: &out)
        case .bytes(let b): encode(.bytes(b), into: &out)
        }
        return out
    }

    @inline(__always)
    static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
            return
        }
        var v = value.magnitude
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while v > 0 {
                buf[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            }
            for i in stride(from: n - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }
}
