import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// A live engine, joined to a small simulated network, fed random and mutated datagrams from
/// many addresses, interleaved with ticks: it must not crash, must stay bounded, and must still
/// answer afterwards.
@Suite struct EngineFuzzTests {
    /// Real encoded requests and replies to mutate.
    static func corpus(_ r: SeededRandom, target: NodeID) -> [[UInt8]] {
        let key = BValue.bytes(target.hexUTF8)
        let json = BValue.string("{\"type\":\"skip_validation\",\"n\":1}")
        let bodies: [WireMessage.Body] = [
            .request(method: "ping", args: []),
            .request(method: "findNode", args: [key]),
            .question(method: "findValue", args: [key]),
            .request(method: "store", args: [key, json, .bytes(r.nodeID().hexUTF8), 0, 300]),
            .request(method: "store", args: [key, .string(String(repeating: "z", count: 9000))]),
            .request(method: "request", args: ["idurl"]),
            .request(method: "delete", args: [key]),
            .response(.list([.list([.bytes(r.nodeID().hexUTF8), "10.0.0.1", 14441, 0])])),
            .response(.dict([.bytes(target.hexUTF8): json, "expireSeconds": 60, "originallyPublished": 1])),
            .error(type: "builtins.ValueError", message: "x")
        ]
        var out: [[UInt8]] = []
        for body in bodies {
            for layer in [0, 0, 3] {
                let m = WireMessage(rpcID: r.nodeID(), sender: r.nodeID(), layer: layer, body: body)
                out += try! MessageCodec.datagrams(for: m)
                out.append(MessageCodec.encode(m))
            }
        }
        return out
    }

    static func mutate(_ base: [UInt8], _ r: SeededRandom, corpus: [[UInt8]]) -> [UInt8] {
        var d = base
        switch r.uniform(9) {
        case 0:  // bit flips
            for _ in 0...r.uniform(8) where !d.isEmpty { d[r.uniform(d.count)] ^= UInt8(1 << r.uniform(8)) }
        case 1:  // truncation
            d = Array(d.prefix(r.uniform(d.count + 1)))
        case 2:  // splice two messages
            let other = corpus[r.uniform(corpus.count)]
            d = Array(d.prefix(r.uniform(d.count + 1))) + other.suffix(r.uniform(other.count + 1))
        case 3:  // random bytes of a random length
            d = (0..<r.uniform(r.uniform(4) == 0 ? 9000 : 200)).map { _ in UInt8(truncatingIfNeeded: r.next()) }
        case 4:  // a random frame header with random total/seq over a (mutated) payload
            var h: [UInt8] = [0, UInt8(r.uniform(4)), UInt8(r.uniform(256)), UInt8(r.uniform(4)), UInt8(r.uniform(256))]
            h += r.uniform(8) == 0 ? (0..<40).map { _ in UInt8(r.uniform(256)) } : r.nodeID().hexUTF8
            h.append(r.uniform(10) == 0 ? 1 : 0)
            let body = base.count > 46 && base[0] == 0 ? Array(base[46...]) : base
            d = h + Array(body.prefix(r.uniform(body.count + 1)))
        case 5:  // a fragment of a plausible set: small totals and seqs, shared rpc ids
            let total = 1 + r.uniform(5)
            var h = FrameHeader(total: UInt16(total), seq: UInt16(r.uniform(total + 1) % total), rpcID: NodeID(high: 0, middle: 0, low: UInt32(r.uniform(16))))
                .encoded
            h += (0..<r.uniform(3000)).map { _ in UInt8(ascii: "a") &+ UInt8(r.uniform(26)) }
            d = h
        case 6:  // byte insertions of bencode punctuation
            for _ in 0...r.uniform(4) {
                let chars: [UInt8] = Array("deil:0123456789-".utf8)
                d.insert(chars[r.uniform(chars.count)], at: r.uniform(d.count + 1))
            }
        case 7:  // deep nesting
            let depth = r.uniform(5000)
            d = Array(repeating: UInt8(ascii: "l"), count: depth) + Array(repeating: UInt8(ascii: "e"), count: r.uniform(depth + 1))
        default:  // unchanged: a valid message from a random address
            break
        }
        return d
    }

    @Test func survivesManyRandomAndMutatedDatagrams() throws {
        var config = EngineConfiguration()
        config.allowDelete = true
        let net = SimulatedNetwork()
        for i in 0..<6 { net.addNode(configuration: config, seed: 500 + UInt64(i), layers: [0, 3]) }
        let genesis = net.nodes[0]
        net.run(until: net.start(.join(seeds: [], layer: 0, attach: true), on: genesis), on: genesis)
        for node in net.nodes.dropFirst() {
            net.run(until: net.start(.join(seeds: [genesis.endpoint], layer: 0, attach: true), on: node), on: node)
        }
        let victim = net.nodes[2]
        let engine = victim.engine
        let r = SeededRandom(seed: 77)
        let corpus = Self.corpus(r, target: engine.nodeID(layer: 0)!)
        var now = net.now
        var maxPending = 0, sentBytes = 0, datagrams = 0
        for i in 0..<120_000 {
            let source = Endpoint(address: UInt32(truncatingIfNeeded: r.next() % 5000) | 0x0b00_0000, port: UInt16(1 + r.uniform(65_000)))
            let d = Self.mutate(corpus[r.uniform(corpus.count)], r, corpus: corpus)
            datagrams += 1
            for e in engine.receive(d, from: source, now: now) {
                if case .send(let bytes, _) = e {
                    #expect(bytes.count <= Framing.maxDatagramSize)
                    sentBytes += bytes.count
                }
            }
            if i % 50 == 0 {
                now = now + .milliseconds(Int64(r.uniform(2000)))
                _ = engine.tick(now: now)
            }
            maxPending = max(maxPending, engine.pendingRPCs.count)
        }
        #expect(datagrams >= 100_000)
        // Our own calls stay few (head pings and replication), and lookups are capped.
        #expect(maxPending < 2_000, "pending RPCs grew to \(maxPending)")
        #expect(engine.runningLookups.count <= config.maxConcurrentLookups)
        #expect((engine.routingTable(layer: 0)?.count ?? 0) < 200)
        #expect(engine.counters.datagramsReceived >= 120_000)
        #expect((engine.counters.dropped["malformed"] ?? 0) > 10_000)
        #expect((engine.counters.dropped["bad_frame"] ?? 0) > 1_000)
        print("fuzz: \(datagrams) datagrams, max pending \(maxPending), sent \(sentBytes) bytes, dropped \(engine.counters.dropped)")

        // Incomplete fragment sets are dropped after their timeout; pending calls time out.
        now = now + .seconds(60)
        _ = engine.tick(now: now)
        now = now + .seconds(1)
        _ = engine.tick(now: now)
        #expect(engine.pendingRPCs.isEmpty)

        // Afterwards a well-formed ping is answered with pong.
        let rpc = r.nodeID()
        let ping = try MessageCodec.datagrams(for: WireMessage(rpcID: rpc, sender: r.nodeID(), layer: 0, body: .request(method: "ping", args: [])))[0]
        let from = Endpoint(host: "10.200.0.1", port: 4000)!
        let reply = EngineHarness.sent(engine.receive(ping, from: from, now: now)).filter { $0.message.rpcID == rpc }
        #expect(reply.count == 1 && reply.first?.message.result == "pong" && reply.first?.to == from)

        // And the rest of the network still works with it.
        let others = net.nodes.filter { $0 !== victim }
        let op = net.start(.findNode(engine.nodeID(layer: 0)!, layer: 0), on: others[1])
        guard case .closest(let summary)? = net.run(until: op, on: others[1]) else {
            Issue.record("lookup failed")
            return
        }
        #expect(summary.responders > 0)
    }

    /// The reassembler stays bounded under a flood of incomplete fragment sets from many sources.
    @Test func incompleteFragmentFloodStaysBounded() throws {
        let h = EngineHarness()
        let r = SeededRandom(seed: 5)
        for i in 0..<20_000 {
            let header = FrameHeader(total: 100, seq: UInt16(r.uniform(99)), rpcID: r.nodeID())
            let d = header.encoded + [UInt8](repeating: 0x61, count: 8000)
            let effects = h.receive(d, from: h.peer(i).endpoint)
            #expect(EngineHarness.sent(effects).isEmpty)
            if i % 1000 == 0 { _ = h.tick(advance: .seconds(1)) }
        }
        // The most a flood can pin is the reassembler's byte cap; a ping still works.
        #expect(try #require(h.ask("ping", [], from: h.peer(99_999))).message.result == "pong")
        _ = h.tick(advance: .seconds(30))
        let rpc = r.nodeID()
        let p = h.peer(123)
        let frames = try Framing.datagrams(
            payload: MessageCodec.encode(
                WireMessage(
                    rpcID: rpc, sender: p.id, layer: 0,
                    body: .request(
                        method: "store",
                        args: [
                            .bytes(DHTKey.hash("f").hexUTF8),
                            .string("{\"type\":\"skip_validation\",\"b\":\"" + String(repeating: "q", count: 17_000) + "\"}")
                        ]))), rpcID: rpc)
        var last: [Effect] = []
        for f in frames { last = h.receive(f, from: p.endpoint) }
        #expect(h.reply(to: rpc, in: last)?.message.result == "OK")
    }
}
