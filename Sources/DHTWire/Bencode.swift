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
        // Written into a 24-byte scratch (Int64 needs at most 20 with its sign) by the codec's
        // one digit writer, and appended in one piece.
        let length = PresizedWriter.decimalLength(value)
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &scratch) { buf in
            let base = buf.baseAddress!.assumingMemoryBound(to: UInt8.self)
            PresizedWriter.writeDecimal(value, length: length, to: base)
            out.append(contentsOf: UnsafeRawBufferPointer(start: base, count: length))
        }
    }
}
