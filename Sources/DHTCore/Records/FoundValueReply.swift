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

    /// Where the key's entry goes among the two fields: before (0), between (1) or after (2)
    /// them, or nowhere (-1) when it is one of them ("expireSeconds" sorts before
    /// "originallyPublished").
    var keySlot: Int {
        // A key of 20-99 bytes (every hex key) encodes as "<2 digits>:…", whose first digit, 2 to
        // 9, sorts after the fields' "13:" and "19:".
        if (20..<100).contains(key.count) { return 2 }
        let e = Self.compareEncoded(key, Self.expireKey), p = Self.compareEncoded(key, Self.publishedKey)
        return e == 0 || p == 0 ? -1 : (e < 0 ? 0 : (p < 0 ? 1 : 2))
    }

    /// Appends the bencoded dict to `out`.
    public func encode(into out: inout [UInt8]) {
        let slot = keySlot
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

    /// The length `write(value:slot:into:)` writes for a byte-string value of `valueCount` bytes.
    func presizedLength(valueCount: Int, slot: Int) -> Int {
        let entry = slot < 0 ? 0 : PresizedWriter.bencodedBytesLength(key.count) + PresizedWriter.bencodedBytesLength(valueCount)
        return 2 + Self.expireKey.count + PresizedWriter.bencodedIntLength(expireSeconds) + Self.publishedKey.count
            + PresizedWriter.bencodedIntLength(originallyPublished) + entry
    }

    /// `encode(into:)` for the byte-string value `bytes`, into storage sized for it
    /// (`presizedLength`); `slot` is `keySlot`.
    func write(value bytes: [UInt8], slot: Int, into w: inout PresizedWriter) {
        w.byte(UInt8(ascii: "d"))
        if slot == 0 { writeKeyAndValue(bytes, &w) }
        w.bytes(Self.expireKey)
        w.bencodedInt(expireSeconds)
        if slot == 1 { writeKeyAndValue(bytes, &w) }
        w.bytes(Self.publishedKey)
        w.bencodedInt(originallyPublished)
        if slot == 2 { writeKeyAndValue(bytes, &w) }
        w.byte(UInt8(ascii: "e"))
    }

    private func writeKeyAndValue(_ bytes: [UInt8], _ w: inout PresizedWriter) {
        w.bencodedBytes(key)
        w.bencodedBytes(bytes)
    }

    private func appendKeyAndValue(_ out: inout [UInt8]) {
        Bencode.encode(.bytes(key), into: &out)
        Bencode.encode(value, into: &out)
    }

    /// The datagrams answering the `findValue` call `rpcID` with this result, from `sender`
    /// (our id for `layer`): byte for byte `MessageCodec.datagrams(for:)` of the response
    /// carrying `dict`.
    public func datagrams(rpcID: NodeID, sender: NodeID, layer: Int) throws(Framing.FramingError) -> [[UInt8]] {
        // A byte-string value (every BitDust record) in one datagram: written in place.
        if case .bytes(let bytes) = value {
            let slot = keySlot
            if let one = MessageCodec.presizedResponse(
                rpcID: rpcID, sender: sender, layer: layer, resultLength: presizedLength(valueCount: bytes.count, slot: slot),
                writeResult: { write(value: bytes, slot: slot, into: &$0) })
            {
                return [one]
            }
        }
        return try MessageCodec.responseDatagrams(
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
