import BitDustRecords
import DHTCore
import DHTWire

/// The wire form of a `NodeCommand` (control socket, version 1 of this form): an object with a
/// `verb` and the verb's fields, written out by hand so that renaming a Swift property never
/// changes the protocol. Decoding re-validates everything (keys, endpoints, record parts), so a
/// peer cannot build a command the prompt or the CLI would refuse. Thread-safe.
extension NodeCommand: Codable {
    private enum Keys: String, CodingKey {
        case verb, key, rawKey = "raw_key", value, expireSeconds = "expire_seconds", type, parts, assignments
        case readFirst = "read_first", bitdustNickname = "bitdust_nickname", address, target
        case count, seconds, interval, rate, maxNodes = "max_nodes"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        func key() throws -> KeyArgument {
            let text = try c.decode(String.self, forKey: .key)
            let raw = try c.decodeIfPresent(Bool.self, forKey: .rawKey) ?? false
            do throws(KeyArgument.Invalid) { return try KeyArgument(text, raw: raw) } catch {
                throw DecodingError.dataCorruptedError(forKey: .key, in: c, debugDescription: error.description)
            }
        }
        func endpoint() throws -> Endpoint {
            guard let e = NodeCommand.endpoint(try c.decode(String.self, forKey: .address)) else {
                throw DecodingError.dataCorruptedError(forKey: .address, in: c, debugDescription: "not HOST:PORT")
            }
            return e
        }
        func record() throws -> (RecordType, [String]) {
            guard let type = RecordType(name: try c.decode(String.self, forKey: .type)) else {
                throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "unknown record type")
            }
            let parts = try c.decode([String].self, forKey: .parts)
            guard (try? RecordKey.parse(type: type, parts: parts)) != nil else {
                throw DecodingError.dataCorruptedError(forKey: .parts, in: c, debugDescription: "parts do not make a \(type.rawValue) key")
            }
            return (type, parts)
        }
        switch try c.decode(String.self, forKey: .verb) {
        case "get": self = .get(try key())
        case "set":
            self = .set(
                try key(), value: try c.decode(String.self, forKey: .value),
                expireSeconds: try c.decodeIfPresent(Int64.self, forKey: .expireSeconds))
        case "delete": self = .delete(try key())
        case "get_record":
            let (type, parts) = try record()
            self = .getRecord(type: type, parts: parts)
        case "set_record":
            let (type, parts) = try record()
            let options = RecordWriteOptions(
                expireSeconds: try c.decodeIfPresent(Int64.self, forKey: .expireSeconds) ?? 43_200,
                readFirst: try c.decodeIfPresent(Bool.self, forKey: .readFirst) ?? true,
                nickname: try c.decodeIfPresent(Bool.self, forKey: .bitdustNickname) == true ? .bitdust : .intended)
            self = .setRecord(type: type, parts: parts, assignments: try c.decode([String].self, forKey: .assignments), options: options)
        case "ping": self = .ping(try endpoint())
        case "join": self = .join(try endpoint())
        case "find":
            let target = try c.decode(String.self, forKey: .target)
            do throws(KeyArgument.Invalid) { self = .find(try KeyArgument.findTarget(target)) } catch {
                throw DecodingError.dataCorruptedError(forKey: .target, in: c, debugDescription: error.description)
            }
        case "discover":
            self = .discover(
                DiscoverOptions(
                    count: try c.decodeIfPresent(Int.self, forKey: .count) ?? ReachLimits.discoverDefaultCount,
                    seconds: try c.decodeIfPresent(Int.self, forKey: .seconds) ?? ReachLimits.discoverDefaultSeconds))
        case "watch":
            let target: WatchTarget
            if c.contains(.type) {
                let (type, parts) = try record()
                target = .record(type: type, parts: parts)
            } else {
                target = .key(try key())
            }
            self = .watch(
                target,
                WatchOptions(
                    intervalSeconds: try c.decodeIfPresent(Int.self, forKey: .interval) ?? ReachLimits.watchDefaultInterval,
                    count: try c.decodeIfPresent(Int.self, forKey: .count) ?? 1,
                    seconds: try c.decodeIfPresent(Int.self, forKey: .seconds) ?? ReachLimits.watchDefaultSeconds))
        case "latency":
            self = .latency
        case "crawl":
            self = .crawl(
                CrawlOptions(
                    rate: try c.decodeIfPresent(Int.self, forKey: .rate) ?? ReachLimits.crawlDefaultRate,
                    maxNodes: try c.decodeIfPresent(Int.self, forKey: .maxNodes) ?? ReachLimits.crawlDefaultMaxNodes))
        case "forget":
            guard let id = NodeID(hex: try c.decode(String.self, forKey: .target)) else {
                throw DecodingError.dataCorruptedError(forKey: .target, in: c, debugDescription: "not a node id (40 hex digits)")
            }
            self = .forget(id)
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .verb, in: c, debugDescription: "unknown command '\(other)'")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        func key(_ k: KeyArgument) throws {
            try c.encode(k.text, forKey: .key)
            try c.encode(k.raw, forKey: .rawKey)
        }
        switch self {
        case .get(let k):
            try c.encode("get", forKey: .verb)
            try key(k)
        case .set(let k, let value, let expire):
            try c.encode("set", forKey: .verb)
            try key(k)
            try c.encode(value, forKey: .value)
            try c.encodeIfPresent(expire, forKey: .expireSeconds)
        case .delete(let k):
            try c.encode("delete", forKey: .verb)
            try key(k)
        case .getRecord(let type, let parts):
            try c.encode("get_record", forKey: .verb)
            try c.encode(type.rawValue, forKey: .type)
            try c.encode(parts, forKey: .parts)
        case .setRecord(let type, let parts, let assignments, let options):
            try c.encode("set_record", forKey: .verb)
            try c.encode(type.rawValue, forKey: .type)
            try c.encode(parts, forKey: .parts)
            try c.encode(assignments, forKey: .assignments)
            try c.encode(options.expireSeconds, forKey: .expireSeconds)
            try c.encode(options.readFirst, forKey: .readFirst)
            try c.encode(options.nickname == .bitdust, forKey: .bitdustNickname)
        case .ping(let e):
            try c.encode("ping", forKey: .verb)
            try c.encode(e.description, forKey: .address)
        case .join(let e):
            try c.encode("join", forKey: .verb)
            try c.encode(e.description, forKey: .address)
        case .find(let k):
            try c.encode("find", forKey: .verb)
            try c.encode(k.text, forKey: .target)
        case .discover(let o):
            try c.encode("discover", forKey: .verb)
            try c.encode(o.count, forKey: .count)
            try c.encode(o.seconds, forKey: .seconds)
        case .watch(let target, let o):
            try c.encode("watch", forKey: .verb)
            switch target {
            case .key(let k): try key(k)
            case .record(let type, let parts):
                try c.encode(type.rawValue, forKey: .type)
                try c.encode(parts, forKey: .parts)
            }
            try c.encode(o.intervalSeconds, forKey: .interval)
            try c.encode(o.count, forKey: .count)
            try c.encode(o.seconds, forKey: .seconds)
        case .latency:
            try c.encode("latency", forKey: .verb)
        case .crawl(let o):
            try c.encode("crawl", forKey: .verb)
            try c.encode(o.rate, forKey: .rate)
            try c.encode(o.maxNodes, forKey: .maxNodes)
        case .forget(let id):
            try c.encode("forget", forKey: .verb)
            try c.encode(id.hex, forKey: .target)
        }
    }
}

/// The wire form of a `CommandOutcome` (control socket): `command`, `succeeded`, `summary`,
/// `detail`, `raw_detail` and `json` (the outcome's JSON as one JSON text), written out by hand.
/// Thread-safe.
extension CommandOutcome: Codable {
    private enum Keys: String, CodingKey {
        case command, succeeded, summary, detail, rawDetail = "raw_detail", json
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        var fields = JSONFields()
        if let text = try c.decodeIfPresent(String.self, forKey: .json) {
            guard let json = JSONValue(parsing: text) else {
                throw DecodingError.dataCorruptedError(forKey: .json, in: c, debugDescription: "not JSON")
            }
            fields = JSONFields(json.members.filter { $0.0 != "ok" && $0.0 != "error" })
        }
        self.init(
            command: try c.decode(String.self, forKey: .command), succeeded: try c.decode(Bool.self, forKey: .succeeded),
            summary: try c.decode(String.self, forKey: .summary), detail: try c.decode([String].self, forKey: .detail),
            rawDetail: try c.decodeIfPresent([String].self, forKey: .rawDetail), fields: fields)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(command, forKey: .command)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode(summary, forKey: .summary)
        try c.encode(detail, forKey: .detail)
        try c.encodeIfPresent(rawDetail, forKey: .rawDetail)
        try c.encode(json.jsonText, forKey: .json)
    }
}
