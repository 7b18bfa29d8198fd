import DHTCore
import DHTWire

extension Wire {
    /// Bytes: a string when they are UTF-8, else `{"hex": "…"}`. A value type.
    public struct Bytes: Sendable, Hashable, Codable {
        public var bytes: [UInt8]
        public init(_ bytes: [UInt8]) { self.bytes = bytes }

        enum CodingKeys: String, CodingKey { case hex }

        public init(from decoder: any Decoder) throws {
            if let s = try? decoder.singleValueContainer().decode(String.self) {
                bytes = Array(s.utf8)
                return
            }
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let hex = Array(try c.decode(String.self, forKey: .hex).utf8)
            guard hex.count % 2 == 0 else { throw DecodingError.dataCorruptedError(forKey: .hex, in: c, debugDescription: "odd hex length") }
            var out: [UInt8] = []
            out.reserveCapacity(hex.count / 2)
            var i = 0
            while i < hex.count {
                guard let h = Self.digit(hex[i]), let l = Self.digit(hex[i + 1]) else {
                    throw DecodingError.dataCorruptedError(forKey: .hex, in: c, debugDescription: "not hex")
                }
                out.append(h << 4 | l)
                i += 2
            }
            bytes = out
        }

        public func encode(to encoder: any Encoder) throws {
            if let s = String(validating: bytes, as: UTF8.self) {
                var c = encoder.singleValueContainer()
                try c.encode(s)
            } else {
                var c = encoder.container(keyedBy: CodingKeys.self)
                let digits = Array("0123456789abcdef".utf8)
                try c.encode(String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self), forKey: .hex)
            }
        }

        private static func digit(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: return b - 0x30
            case 0x61...0x66: return b - 0x61 + 10
            case 0x41...0x46: return b - 0x41 + 10
            default: return nil
            }
        }
    }

    /// A bencode value: an integer is a number, bytes are `Bytes`, a list is an array, a dict is
    /// `{"dict": [[key, value], …]}` in key order (a key is a number or `Bytes`). A value type.
    public indirect enum Value: Sendable, Hashable, Codable {
        case int(Int64)
        case bytes(Bytes)
        case list([Value])
        case dict([Pair])

        /// One dict entry, `[key, value]`.
        public struct Pair: Sendable, Hashable, Codable {
            public var key: Value
            public var value: Value

            public init(from decoder: any Decoder) throws {
                var c = try decoder.unkeyedContainer()
                key = try c.decode(Value.self)
                value = try c.decode(Value.self)
                guard c.isAtEnd else { throw DecodingError.dataCorruptedError(in: c, debugDescription: "a dict entry is [key, value]") }
            }

            public func encode(to encoder: any Encoder) throws {
                var c = encoder.unkeyedContainer()
                try c.encode(key)
                try c.encode(value)
            }

            init(key: Value, value: Value) {
                self.key = key
                self.value = value
            }
        }

        enum CodingKeys: String, CodingKey { case dict }

        public init(_ v: BValue) {
            switch v {
            case .int(let i): self = .int(i)
            case .bytes(let b): self = .bytes(Bytes(b))
            case .list(let l): self = .list(l.map(Value.init))
            case .dict(let d):
                self = .dict(
                    d.sorted { $0.key < $1.key }.map { k, v in
                        switch k {
                        case .int(let i): return Pair(key: .int(i), value: Value(v))
                        case .bytes(let b): return Pair(key: .bytes(Bytes(b)), value: Value(v))
                        }
                    })
            }
        }

        public func core() throws(Invalid) -> BValue {
            switch self {
            case .int(let i): return .int(i)
            case .bytes(let b): return .bytes(b.bytes)
            case .list(let l):
                var out: [BValue] = []
                for v in l { out.append(try v.core()) }
                return .list(out)
            case .dict(let pairs):
                var d: [BKey: BValue] = [:]
                for p in pairs {
                    let key: BKey
                    switch p.key {
                    case .int(let i): key = .int(i)
                    case .bytes(let b): key = .bytes(b.bytes)
                    default: throw Invalid("a dict key must be a number or bytes")
                    }
                    d[key] = try p.value.core()
                }
                return .dict(d)
            }
        }

        public init(from decoder: any Decoder) throws {
            if let single = try? decoder.singleValueContainer() {
                if let i = try? single.decode(Int64.self) {
                    self = .int(i)
                    return
                }
                if let s = try? single.decode(String.self) {
                    self = .bytes(Bytes(Array(s.utf8)))
                    return
                }
                if let l = try? single.decode([Value].self) {
                    self = .list(l)
                    return
                }
            }
            if let c = try? decoder.container(keyedBy: CodingKeys.self), c.contains(.dict) {
                self = .dict(try c.decode([Pair].self, forKey: .dict))
                return
            }
            self = .bytes(try Bytes(from: decoder))
        }

        public func encode(to encoder: any Encoder) throws {
            switch self {
            case .int(let i):
                var c = encoder.singleValueContainer()
                try c.encode(i)
            case .bytes(let b): try b.encode(to: encoder)
            case .list(let l):
                var c = encoder.singleValueContainer()
                try c.encode(l)
            case .dict(let pairs):
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(pairs, forKey: .dict)
            }
        }
    }

    /// A stored record (docs/protocol.md §8.2) and its layer. A value type.
    public struct Record: Sendable, Hashable, Codable {
        public var layer: Int
        public var key: Bytes
        public var value: Value
        public var lastPublished: Int64
        public var originallyPublished: Int64
        public var publisher: String?
        public var expireSeconds: Int64

        enum CodingKeys: String, CodingKey {
            case layer, key, value, lastPublished = "last_published", originallyPublished = "originally_published", publisher
            case expireSeconds = "expire_seconds"
        }

        public init(_ r: StoredRecord) {
            layer = r.layer
            key = Bytes(r.key)
            value = Value(r.value)
            lastPublished = r.lastPublished
            originallyPublished = r.originallyPublished
            publisher = r.publisher?.hex
            expireSeconds = r.expireSeconds
        }

        public func core() throws(Invalid) -> StoredRecord {
            StoredRecord(
                layer: layer, key: key.bytes, value: try value.core(), lastPublished: lastPublished,
                originallyPublished: originallyPublished, publisher: try Wire.optionalID(publisher, "record publisher"),
                expireSeconds: expireSeconds)
        }
    }
}
