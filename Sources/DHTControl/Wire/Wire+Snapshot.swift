import DHTCore
import DHTWire
import NodeAPI

extension Wire {
    /// One layer of a snapshot. A value type.
    public struct Layer: Sendable, Hashable, Codable {
        public var layer: Int
        public var nodeID: String
        public var state: String
        public var buckets: [Bucket]
        public var records: [Record]

        enum CodingKeys: String, CodingKey { case layer, nodeID = "node_id", state, buckets, records }

        public init(_ l: NodeSnapshot.Layer) {
            layer = l.layer
            nodeID = l.nodeID.hex
            state = l.state.rawValue
            buckets = l.buckets.map(Bucket.init)
            records = l.records.map(Record.init)
        }

        public func core() throws(Invalid) -> NodeSnapshot.Layer {
            guard let s = LayerState(rawValue: state) else { throw Invalid("unknown layer state '\(state)'") }
            var bs: [KBucket] = [], rs: [StoredRecord] = []
            for b in buckets { bs.append(try b.core()) }
            for r in records { rs.append(try r.core()) }
            return NodeSnapshot.Layer(layer: layer, nodeID: try Wire.id(nodeID, "layer node id"), state: s, buckets: bs, records: rs)
        }
    }

    /// The console's picture of the node (`NodeSnapshot`). A value type.
    public struct Snapshot: Sendable, Hashable, Codable {
        public var takenAtNs: Int64
        public var layers: [Layer]
        public var counters: Counters
        public var pending: [RPC]
        public var lookups: [Lookup]
        public var address: String
        public var dataDirectory: String
        public var startedAtNs: Int64
        public var k: Int

        enum CodingKeys: String, CodingKey {
            case takenAtNs = "taken_at_ns", layers, counters, pending, lookups, address, dataDirectory = "data_directory"
            case startedAtNs = "started_at_ns", k
        }

        public init(_ s: NodeSnapshot) {
            takenAtNs = s.takenAt.nanoseconds
            layers = s.layers.map(Layer.init)
            counters = Counters(s.counters)
            pending = s.pending.map(RPC.init)
            lookups = s.lookups.map(Lookup.init)
            address = s.addressText
            dataDirectory = s.dataDirectory
            startedAtNs = s.startedAt.nanoseconds
            k = s.k
        }

        public func core() throws(Invalid) -> NodeSnapshot {
            var ls: [NodeSnapshot.Layer] = [], ps: [RPCInfo] = [], lks: [LookupSummary] = []
            for l in layers { ls.append(try l.core()) }
            for p in pending { ps.append(try p.core()) }
            for l in lookups { lks.append(try l.core()) }
            return NodeSnapshot(
                takenAt: Timestamp(nanoseconds: takenAtNs), layers: ls, counters: try counters.core(), pending: ps,
                lookups: lks, addressText: address, dataDirectory: dataDirectory,
                startedAt: Timestamp(nanoseconds: startedAtNs), k: k)
        }
    }

    /// One node event: the `EventJSON` object (its `time` is the engine's time of the event).
    /// A value type.
    public struct Event: Sendable, Hashable, Codable {
        public var event: TimedEvent

        public init(_ event: TimedEvent) { self.event = event }

        public init(from decoder: any Decoder) throws {
            let json = try JSON(from: decoder).value
            guard let e = EventJSON.decode(json) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an event: \(json.jsonText.prefix(200))"))
            }
            event = e
        }

        public func encode(to encoder: any Encoder) throws {
            try JSON(EventJSON.object(event.event, time: event.time)).encode(to: encoder)
        }
    }
}

/// Any JSON value through `Codable` (numbers keep their digits when they are integers), for
/// carrying `EventJSON` objects. A value type; pure.
struct JSON: Codable {
    var value: JSONValue
    init(_ value: JSONValue) { self.value = value }

    private struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let c = try? decoder.container(keyedBy: Name.self) {
            var members: [(String, JSONValue)] = []
            for key in c.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                members.append((key.stringValue, try c.decode(JSON.self, forKey: key).value))
            }
            value = .object(members)
            return
        }
        if var c = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !c.isAtEnd { items.append(try c.decode(JSON.self).value) }
            value = .array(items)
            return
        }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            value = .null
        } else if let b = try? c.decode(Bool.self) {
            value = .bool(b)
        } else if let i = try? c.decode(Int64.self) {
            value = .int(i)
        } else if let u = try? c.decode(UInt64.self) {
            value = .int(u)
        } else if let d = try? c.decode(Double.self) {
            value = .number(String(d))
        } else {
            value = .string(try c.decode(String.self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch value {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .number(let n):
            var c = encoder.singleValueContainer()
            if let i = Int64(n) { try c.encode(i) } else if let u = UInt64(n) { try c.encode(u) } else { try c.encode(Double(n) ?? 0) }
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .array(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(JSON(item)) }
        case .object(let members):
            var c = encoder.container(keyedBy: Name.self)
            for (name, item) in members { try c.encode(JSON(item), forKey: Name(stringValue: name)) }
        }
    }
}
