import DHTWire

/// The result a node answers to `findValue` for a key it holds (docs/protocol.md §8.4): the dict
/// `{<key>: <value>, "expireSeconds": int, "originallyPublished": int}`.
///
/// `encode(into:)` writes it straight into an output buffer in bencode's order (entries sorted
/// by their encoded keys, §4) without building the dict: byte for byte what `Bencode.encode`
/// writes for `dict`. As in Python's dict literal, a key equal to a field's name is that field
/// (unreachable from `findValue`, whose key must be hex). A value type; thread-safe.
public struct FoundValueReply: Hashable, Sendable {
    /// The key exactly as it came on the wire.
    public var key: [UInt8]
    public var value: BValue
    public var expireSeconds: Int64
    public var originallyPublished: Int64

    public init(key: [UInt8], value: BValue, expireSeconds: Int64, originallyPublished: Int64) {
        self.key = key
        self.value = value
        self.expireSeconds = expireSeconds
        self.originallyPublished = originallyPublished
    }

    /// The encoded dict keys of the two fields, in their sorted order.
    static let expireKey = Array("13:expireSeconds".utf8)
    static let publishedKey = Array("19:originallyPublished".utf8)

    /// The same result as a `BValue` tree, built as Python builds it (later entries win).
    public var dict: BValue {
        var d: [BKey: BValue] = [:]
        d[.bytes(key)] = value
        d["expireSeconds"] = .int(expireSeconds)
        d["originallyPublished"] = .int(originallyPublished)
        return .dict(d)
    }

    /// Bytes `encode(into:)` appends for a byte-string value, and a close guess otherwise:
    /// enough to reserve the output buffer once.
    public var encodedSizeEstimate: Int {
        let valueBytes: Int
        if case .bytes(let b) = value { valueBytes = b.count + 21 } else { valueBytes = 64 }
        return 2 + Self.expireKey.count + 22 + Self.publishedKey.count + 22 + key.count + 21 + valueBytes
    }

    /// Appends the bencoded dict to `out`.
    public func encode(into out: inout [UInt8]) {
        // Where the key's entry goes: before, between or after the two fields, or nowhere
        // when it is one of them ("expireSeconds" sorts before "originallyPublished").
        let e = Self.compareEncoded(key, Self.expireKey), p = Self.compareEncoded(key, Self.publishedKey)
        let slot = e == 0 || p == 0 ? -1 : (e < 0 ? 0 : (p < 0 ? 1 : 2))
        out.append(UInt8(ascii: "d"))
        if slot == 0 { appendKeyAndValue(&out) }
        out.append(contentsOf: Self.expireKey)
        Bencode.encode(.int(expireSeconds), into: &out)
        if slot == 1 { appendKeyAndValue(&out) }
        out.append(contentsOf: Self.publishedKey)
        Bencode.encode(.int(originallyPublished), into: &out)
        if slot == 2 { appendKeyAndValue(&out) }
        out.append(UInt8(ascii: "e"))
    }

    private func appendKeyAndValue(_ out: inout [UInt8]) {
        Bencode.encode(.bytes(key), into: &out)
        Bencode.encode(value, into: &out)
    }

    /// The datagrams answering the `findValue` call `rpcID` with this result, from `sender`
    /// (our id for `layer`): byte for byte `MessageCodec.datagrams(for:)` of the response
    /// carrying `dict`.
    public func datagrams(rpcID: NodeID, sender: NodeID, layer: Int) throws(Framing.FramingError) -> [[UInt8]] {
        try MessageCodec.responseDatagrams(
            rpcID: rpcID, sender: sender, layer: layer, capacity: FrameHeader.size + 120 + encodedSizeEstimate,
            writeResult: encode(into:))
    }

    /// Compares the bencoding of the byte string `key` (`<length>:<bytes>`) with `encoded`, as
    /// raw bytes: negative if it sorts first, zero if equal, positive if after. Reads both in
    /// place; nothing is allocated.
    static func compareEncoded(_ key: [UInt8], _ encoded: [UInt8]) -> Int {
        // The decimal digits of the length, most significant first, in a fixed buffer.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { buffer in
            var length = key.count
            var count = 0
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(length % 10)
                length /= 10
                count += 1
            } while length > 0
            let prefix = count + 1  // the digits and the colon
            let total = prefix + key.count
            for i in 0..<min(total, encoded.count) {
                let b: UInt8
                if i < count {
                    b = buffer[count - 1 - i]
                } else if i == count {
                    b = UInt8(ascii: ":")
                } else {
                    b = key[i - prefix]
                }
                if b != encoded[i] { return b < encoded[i] ? -1 : 1 }
            }
            return total == encoded.count ? 0 : (total < encoded.count ? -1 : 1)
        }
    }
}
