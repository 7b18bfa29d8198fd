/// A compact, lossless JSON form of bencode values for the local control socket:
/// an integer is a number, UTF-8 bytes are a string, other bytes are `{"hex": "…"}`, a list is
/// an array, and a dict is `{"dict": [[key, value], …]}` in key order. Pure; thread-safe.
extension BValue {
    private enum Keys: String, CodingKey { case hex, dict }

    public init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer() {
            if let i = try? single.decode(Int64.self) { self = .int(i); return }
            if let s = try? single.decode(String.self) { self = .bytes(Array(s.utf8)); return }
            if let l = try? single.decode([BValue].self) { self = .list(l); return }
        }
        let c = try decoder.container(keyedBy: Keys.self)
        if let hex = try c.decodeIfPresent(String.self, forKey: .hex) {
            guard let bytes = BValue.bytes(fromHex: hex) else {
                throw DecodingError.dataCorruptedError(forKey: .hex, in: c, debugDescription: "odd or non-hex digits")
            }
            self = .bytes(bytes)
            return
        }
        let pairs = try c.decode([BPair].self, forKey: .dict)
        var d: [BKey: BValue] = [:]
        for p in pairs { d[p.key] = p.value }
        self = .dict(d)
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .bytes(let b):
            if let s = String(validating: b, as: UTF8.self) {
                var c = encoder.singleValueContainer()
                try c.encode(s)
            } else {
                var c = encoder.container(keyedBy: Keys.self)
                try c.encode(BValue.hex(b), forKey: .hex)
            }
        case .list(let l):
            var c = encoder.singleValueContainer()
            try c.encode(l)
        case .dict(let d):
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(d.sorted { $0.key < $1.key }.map { BPair(key: $0.key, value: $0.value) }, forKey: .dict)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(fromHex text: String) -> [UInt8]? {
        let u = Array(text.utf8)
        guard u.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let h = NodeID.hexValue(u[i]), let l = NodeID.hexValue(u[i + 1]) else { return nil }
            out.append(h << 4 | l)
            i += 2
        }
        return out
    }
}

/// One dict entry in the JSON form of `BValue`: `[key, value]`.
private struct BPair: Codable {
    var key: BKey
    var value: BValue

    init(key: BKey, value: BValue) {
        self.key = key
        self.value = value
    }

    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        key = try c.decode(BKey.self)
        value = try c.decode(BValue.self)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(key)
        try c.encode(value)
    }
}

/// A dict key in JSON: a number for an integer key, else the `BValue` form of its bytes.
extension BKey: Comparable {
    public init(from decoder: any Decoder) throws {
        switch try BValue(from: decoder) {
        case .int(let i): self = .int(i)
        case .bytes(let b): self = .bytes(b)
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "a dict key must be an int or bytes"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .int(let i): try BValue.int(i).encode(to: encoder)
        case .bytes(let b): try BValue.bytes(b).encode(to: encoder)
        }
    }

    /// Integers first, then bytes in lexicographic order.
    public static func < (a: BKey, b: BKey) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.int, .bytes): return true
        case (.bytes, .int): return false
        case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y)
        }
    }
}
