import BitDustRecords
import DHTCore
import DHTWire
import Testing

/// Drives one `DHTEngine` directly with hand-built datagrams and decodes what it sends back.
final class EngineHarness {
    static let t0 = Timestamp(unixSeconds: 1_800_000_000)

    /// A remote peer as the tests impersonate it.
    struct Peer: Hashable {
        var id: NodeID
        var endpoint: Endpoint
    }

    /// A datagram the engine sent, decoded.
    struct Sent {
        var message: WireMessage
        var to: Endpoint
        /// Whether it was carried inside a `.persist(…, then:)` effect.
        var afterPersist: Bool
        /// The raw datagrams (several for a fragmented message).
        var datagrams: [[UInt8]]
    }

    let engine: DHTEngine
    var now: Timestamp
    let random: SeededRandom

    /// An engine with `layers` created (holding `records`, as if loaded from storage); those in
    /// `join` are joined as genesis nodes (no seeds), attached or not.
    init(
        configuration: EngineConfiguration = EngineConfiguration(), layers: [Int] = [0],
        join: [Int: Bool] = [0: true], seed: UInt64 = 1, records: [StoredRecord] = []
    ) {
        random = SeededRandom(seed: seed)
        now = Self.t0
        engine = DHTEngine(
            configuration: configuration, random: SeededRandom(seed: seed &+ 1000), now: now,
            layerIDs: Dictionary(uniqueKeysWithValues: layers.map { ($0, NodeID?.none) }), records: records)
        engine.storeRule = BitDustStoreRule.rule
        var op: UInt64 = 1
        for (layer, attach) in join.sorted(by: { $0.key < $1.key }) {
            let effects = engine.start(.join(seeds: [], layer: layer, attach: attach), id: OperationID(op), now: now)
            op += 1
            let completed = effects.contains { if case .completed(_, .joined) = $0 { return true } else { return false } }
            precondition(completed, "genesis join of layer \(layer) did not complete")
        }
    }

    /// Our node id on `layer`.
    func id(_ layer: Int = 0) -> NodeID { engine.nodeID(layer: layer)! }

    /// A fresh peer at 10.9.x.y with a random id.
    func peer(_ index: Int, id: NodeID? = nil) -> Peer {
        Peer(
            id: id ?? random.nodeID(),
            endpoint: Endpoint(address: 0x0a09_0000 | UInt32(index & 0xffff), port: UInt16(20_000 + index % 40_000)))
    }

    /// One framed datagram for `message` (it must fit in one).
    static func datagram(_ message: WireMessage) -> [UInt8] {
        let d = try! MessageCodec.datagrams(for: message)
        precondition(d.count == 1)
        return d[0]
    }

    /// Sends a call (type 0, or 3 with `question`) from `peer` and returns what the engine did.
    @discardableResult
    func call(
        _ method: String, _ args: [BValue], from peer: Peer, layer: Int = 0, question: Bool = false,
        rpcID: NodeID? = nil
    ) -> (rpcID: NodeID, effects: [Effect]) {
        let rpc = rpcID ?? random.nodeID()
        let body: WireMessage.Body = question ? .question(method: method, args: args) : .request(method: method, args: args)
        let effects = receive(Self.datagram(WireMessage(rpcID: rpc, sender: peer.id, layer: layer, body: body)), from: peer.endpoint)
        return (rpc, effects)
    }

    func receive(_ datagram: [UInt8], from source: Endpoint) -> [Effect] {
        engine.receive(datagram, from: source, now: now)
    }

    func tick(advance: Duration) -> [Effect] {
        now = now + advance
        return engine.tick(now: now)
    }

    /// The one answer (response or error) to our call `rpcID` among what `effects` sent.
    func reply(to rpcID: NodeID, in effects: [Effect]) -> Sent? {
        let answers = Self.sent(effects).filter { $0.message.rpcID == rpcID && $0.message.call == nil }
        #expect(answers.count == 1, "expected one answer to \(rpcID.shortHex()), got \(answers.count)")
        return answers.first
    }

    /// Sends a call and returns the engine's answer to it.
    func ask(_ method: String, _ args: [BValue], from peer: Peer, layer: Int = 0, question: Bool = false) -> Sent? {
        let (rpc, effects) = call(method, args, from: peer, layer: layer, question: question)
        return reply(to: rpc, in: effects)
    }

    /// Every message sent in `effects`, fragments reassembled, including those inside persists.
    static func sent(_ effects: [Effect]) -> [Sent] {
        var raw: [([UInt8], Endpoint, Bool)] = []
        func walk(_ effects: [Effect], _ inPersist: Bool) {
            for e in effects {
                switch e {
                case .send(let d, let to): raw.append((d, to, inPersist))
                case .persist(_, let then): walk(then, true)
                default: break
                }
            }
        }
        walk(effects, false)
        var out: [Sent] = []
        var partial: [NodeID: [(UInt16, UInt16, [UInt8], [UInt8])]] = [:]
        for (d, to, inPersist) in raw {
            switch Framing.classify(d) {
            case .framed(let h, let payload):
                partial[h.rpcID, default: []].append((h.seq, h.total, Array(payload), d))
                let parts = partial[h.rpcID]!
                guard parts.count == Int(h.total) else { continue }
                partial[h.rpcID] = nil
                let sorted = parts.sorted { $0.0 < $1.0 }
                let bytes = sorted.flatMap(\.2)
                guard let m = try? MessageCodec.decode(bytes) else {
                    Issue.record("engine sent an undecodable message of \(bytes.count) bytes")
                    continue
                }
                out.append(Sent(message: m, to: to, afterPersist: inPersist, datagrams: sorted.map(\.3)))
            default:
                Issue.record("engine sent an unframed or invalid datagram")
            }
        }
        #expect(partial.isEmpty, "incomplete fragment sets were sent")
        return out
    }

    static func events(_ effects: [Effect]) -> [NodeEvent] {
        effects.compactMap { if case .event(let e) = $0 { return e.event } else { return nil } }
    }

    static func persisted(_ effects: [Effect]) -> [StorageChange] {
        effects.flatMap { e -> [StorageChange] in
            if case .persist(let c, _) = e { return c }
            return []
        }
    }
}

extension WireMessage {
    var result: BValue? { if case .response(let v) = body { return v } else { return nil } }
    var errorPair: (String, String)? { if case .error(let t, let m) = body { return (t, m) } else { return nil } }
    var call: (method: String, args: [BValue], question: Bool)? {
        switch body {
        case .request(let m, let a): return (m, a, false)
        case .question(let m, let a): return (m, a, true)
        default: return nil
        }
    }
}
