import DHTCore
import DHTWire

/// Well-formed but hostile DHT traffic for the semantic fuzzer: requests for every RPC and
/// replies to the engine's own pending calls, with boundary integers, integers beyond 64 bits,
/// empty, huge, invalid-UTF-8 and control-character strings, and wrong types in every argument
/// and envelope position. Deterministic for its `SeededRandom`.
struct SemanticFuzzGenerator {
    let r: SeededRandom
    /// Peers the traffic comes from (ids and addresses), so that routing tables fill up.
    let peers: [(id: NodeID, endpoint: Endpoint)]
    /// An int standing for "a number beyond Int64": replaced in the encoded bytes.
    static let sentinel: Int64 = 987_654_321_987
    static let sentinelBytes = Array("i\(sentinel)e".utf8)
    static let bigLiterals = [
        "i99999999999999999999e", "i-99999999999999999999e", "i9223372036854775808e",
        "i-9223372036854775809e", "i" + String(repeating: "9", count: 400) + "e"
    ]
    static let boundaries: [Int64] = [
        0, -1, 1, 2_147_483_648, -2_147_483_648, 2_147_483_647, Int64.max, Int64.min,
        Int64.max - 1, Int64.min + 1, 60, 120, 43_200, 86_400, 86_401, 1_800_000_000,
        -1_800_000_000, sentinel
    ]
    static let methods = [
        "ping", "store", "findNode", "findValue", "request", "delete", "verify_update",
        "", "Ping", "store\u{0}", "__init__", "x\u{1b}[2J"
    ]

    init(seed: UInt64, peerCount: Int) {
        r = SeededRandom(seed: seed)
        var peers: [(NodeID, Endpoint)] = []
        for i in 0..<peerCount {
            peers.append((r.nodeID(), Endpoint(address: 0x0a14_0000 | UInt32(i + 1), port: UInt16(10_000 + i))))
        }
        self.peers = peers
    }

    func pick<T>(_ items: [T]) -> T { items[r.uniform(items.count)] }
    func chance(_ oneIn: Int) -> Bool { r.uniform(oneIn) == 0 }

    // MARK: Values

    func integer() -> Int64 {
        switch r.uniform(4) {
        case 0: return Int64(bitPattern: r.next())
        case 1: return Int64(r.uniform(200_000)) - 100_000
        default:
            return pick(Self.boundaries)
        }
    }

    func string() -> [UInt8] {
        switch r.uniform(9) {
        case 0: return []
        case 1: return Array(repeating: UInt8(ascii: "x"), count: r.uniform(2) == 0 ? 8_000 : r.uniform(20_000))
        case 2: return [0xff, 0xfe, 0xc0, 0x80] + Array("bad".utf8)  // invalid UTF-8
        case 3: return Array("\u{0}\u{7}\u{1b}[31m\r\n\u{7f}\u{202e}".utf8)
        case 4: return r.nodeID().hexUTF8
        case 5: return DHTKey.nodeState.hexUTF8
        case 6: return Array("{\"type\":\"skip_validation\",\"n\":\(integer())}".utf8)
        case 7: return Array(r.nodeID().hex.uppercased().utf8)
        default: return Array("k\(r.uniform(1000))".utf8)
        }
    }

    func value(depth: Int = 0) -> BValue {
        switch r.uniform(depth >= 2 ? 2 : 5) {
        case 0: return .int(integer())
        case 1: return .bytes(string())
        case 2: return .list((0..<r.uniform(5)).map { _ in value(depth: depth + 1) })
        case 3:
            var d: [BKey: BValue] = [:]
            for _ in 0..<r.uniform(5) { d[chance(2) ? .int(integer()) : .bytes(string())] = value(depth: depth + 1) }
            return .dict(d)
        default: return .bytes(r.nodeID().hexUTF8)
        }
    }

    func key() -> BValue { chance(4) ? value() : .bytes(chance(8) ? DHTKey.nodeState.hexUTF8 : r.nodeID().hexUTF8) }

    /// Arguments for `method`: mostly the right shape with hostile contents, sometimes a wrong
    /// type in one position or the wrong count.
    func args(for method: String, ownID: NodeID) -> [BValue] {
        var a: [BValue]
        switch method {
        case "store":
            let publisher: BValue = pick([.int(0), .bytes(ownID.hexUTF8), .bytes(r.nodeID().hexUTF8), .bytes(string())])
            a = [key(), chance(3) ? value() : .bytes(string()), publisher, .int(integer()), .int(integer())]
            a = Array(a.prefix(2 + r.uniform(4)))
        case "findNode", "findValue", "delete", "request":
            a = [key()]
        case "ping":
            a = []
        default:
            a = (0..<r.uniform(4)).map { _ in value() }
        }
        if chance(5), !a.isEmpty { a[r.uniform(a.count)] = value() }
        if chance(10) { a.append(value()) }
        if chance(10), !a.isEmpty { a.removeLast() }
        return a
    }

    /// A contact as a findNode answer carries it, often broken.
    func contact() -> BValue {
        let p = pick(peers)
        var items: [BValue] = [.bytes(p.id.hexUTF8), .string(p.endpoint.host), .int(Int64(p.endpoint.port)), 0]
        switch r.uniform(6) {
        case 0: items[r.uniform(4)] = value()
        case 1: items[2] = .int(integer())
        case 2: items[3] = .int(integer())
        case 3: items = Array(items.prefix(r.uniform(5)))
        default: break
        }
        return chance(20) ? value() : .list(items)
    }

    /// A reply body for one of our calls of `method` on `target`.
    func reply(to method: String, target: BValue?) -> WireMessage.Body {
        if chance(6) {
            return .error(
                type: chance(2) ? "builtins.ValueError" : String(decoding: string(), as: UTF8.self),
                message: String(decoding: string(), as: UTF8.self))
        }
        switch method {
        case "findNode":
            return .response(chance(8) ? value() : .list((0..<r.uniform(12)).map { _ in contact() }))
        case "findValue":
            if chance(2) { return .response(.list((0..<r.uniform(8)).map { _ in contact() })) }
            var d: [BKey: BValue] = [:]
            if case .bytes(let k)? = target, !chance(8) { d[.bytes(k)] = chance(4) ? value() : .string("{\"type\":\"skip_validation\"}") }
            d["expireSeconds"] = chance(6) ? value() : .int(integer())
            d["originallyPublished"] = chance(6) ? value() : .int(integer())
            return .response(.dict(d))
        case "store": return .response(chance(2) ? "OK" : value())
        default: return .response(chance(2) ? "pong" : value())
        }
    }

    // MARK: Datagrams

    /// The datagrams of `message`, sentinel ints replaced by integers beyond 64 bits, and
    /// sometimes one envelope field replaced by a value of the wrong type.
    func datagrams(_ message: WireMessage) -> [[UInt8]] {
        var payload: [UInt8]
        if chance(12), case .dict(var d) = MessageCodec.value(of: message) {
            d[.int(Int64(r.uniform(7)))] = chance(3) ? nil : value()
            payload = Bencode.encode(.dict(d))
        } else {
            payload = MessageCodec.encode(message)
        }
        payload = replaceSentinels(payload)
        return (try? Framing.datagrams(payload: payload, rpcID: message.rpcID)) ?? [payload]
    }

    func replaceSentinels(_ bytes: [UInt8]) -> [UInt8] {
        let s = Self.sentinelBytes
        guard bytes.count >= s.count else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var i = 0
        while i < bytes.count {
            if bytes[i] == s[0], i + s.count <= bytes.count, bytes[i..<(i + s.count)].elementsEqual(s) {
                out += Array(pick(Self.bigLiterals).utf8)
                i += s.count
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }
}
