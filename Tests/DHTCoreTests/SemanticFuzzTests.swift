import DHTCore
import DHTWire
import Foundation
import Testing

/// The semantic fuzzer: well-formed hostile requests for every RPC and hostile replies to the
/// engine's own pending calls, pushed through one `DHTEngine` in process while the injected
/// clock crosses expiry, republish and refresh sweeps. Nothing may trap and every budget of
/// docs/limits.md must hold throughout.
///
/// `DHTOP_FUZZ_ITERATIONS` sets the count (default 1,000,000, about 2 minutes of one core in a
/// debug build; e.g. `DHTOP_FUZZ_ITERATIONS=20000 swift test --filter SemanticFuzzTests` for a
/// quick run), and
/// `DHTOP_FUZZ_SEED` the seed (printed, so that a failure can be replayed).
@Suite struct SemanticFuzzTests {
    static var iterations: Int { ProcessInfo.processInfo.environment["DHTOP_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1_000_000 }
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["DHTOP_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5eed_2026
    }

    @Test(.timeLimit(.minutes(20))) func hostileMessagesKeepEveryBudget() throws {
        let seed = Self.seed, count = Self.iterations
        print("semantic fuzz: seed \(seed) (DHTOP_FUZZ_SEED), \(count) messages (DHTOP_FUZZ_ITERATIONS)")
        var config = EngineConfiguration()
        config.allowDelete = true
        config.maxRecords = 2_000
        config.maxPendingCalls = 512
        config.rateLimit = RateLimitConfiguration(perSecond: 200, burst: 400, maxSources: 256, exemptLoopback: false)
        let g = SemanticFuzzGenerator(seed: seed, peerCount: 96)
        var now = Timestamp(unixSeconds: 1_800_000_000)
        let engine = DHTEngine(configuration: config, random: SeededRandom(seed: seed &+ 1), now: now, layerIDs: [0: nil, 3: nil])
        _ = engine.start(.join(seeds: [], layer: 0, attach: true), id: OperationID(1), now: now)
        let ownID = engine.nodeID(layer: 0)!
        var nextOp: UInt64 = 2
        var served = 0, replies = 0, completed = 0, maxPending = 0, maxLookups = 0
        for i in 0..<count {
            // The clock: mostly small steps, sometimes across sweeps and lifetimes.
            let step: Duration =
                g.chance(2_000)
                ? .seconds(Int64(g.pick([60, 600, 3_600, 43_200, 86_400])))
                : .milliseconds(Int64(g.r.uniform(40)))
            now = now + step
            var effects = engine.tick(now: now)
            let pending = engine.pendingRPCs
            if !pending.isEmpty, g.chance(3) {
                // A hostile reply to one of our own calls, from its peer (or an impostor).
                let call = g.pick(pending)
                let target: BValue? = engine.runningLookups.first { $0.id == call.lookup }.map { .bytes($0.target.hexUTF8) }
                let sender = call.peerID ?? g.r.nodeID()
                let body = g.reply(to: call.method, target: target)
                let from = g.chance(20) ? g.pick(g.peers).endpoint : call.peer
                for d in g.datagrams(WireMessage(rpcID: call.rpcID, sender: sender, layer: g.chance(30) ? 3 : call.layer, body: body)) {
                    effects += engine.receive(d, from: from, now: now)
                }
                replies += 1
            } else {
                let peer = g.pick(g.peers)
                let method = g.chance(4) ? g.pick(SemanticFuzzGenerator.methods) : g.pick(Array(MethodName.known))
                let args = g.args(for: method, ownID: ownID)
                let body: WireMessage.Body = g.chance(3) ? .question(method: method, args: args) : .request(method: method, args: args)
                let layer = g.chance(20) ? g.r.uniform(6) : 0
                for d in g.datagrams(WireMessage(rpcID: g.r.nodeID(), sender: g.chance(50) ? ownID : peer.id, layer: layer, body: body)) {
                    effects += engine.receive(d, from: peer.endpoint, now: now)
                }
                served += 1
            }
            // The operator's own operations now and then, so that our calls and publications exist.
            if g.chance(200) {
                let op: DHTCore.Operation
                switch g.r.uniform(4) {
                case 0: op = .findValue(key: g.r.nodeID(), layer: 0, collectAll: g.chance(2))
                case 1: op = .findNode(g.r.nodeID(), layer: 0)
                case 2: op = .ping(g.pick(g.peers).endpoint, layer: 0)
                default: op = .store(key: g.r.nodeID(), value: .string("{\"type\":\"skip_validation\"}"), expireSeconds: g.integer(), layer: 0)
                }
                effects += engine.start(op, id: OperationID(nextOp), now: now)
                nextOp += 1
            }
            completed += effects.filter { if case .completed = $0 { true } else { false } }.count
            if i % 1_000 == 0 {
                let s = engine.stateSizes
                maxPending = max(maxPending, s.pendingCalls)
                maxLookups = max(maxLookups, s.lookups)
                try Self.checkBudgets(engine, config: config, at: i, seed: seed, now: now.unixSeconds)
            }
        }
        try Self.checkBudgets(engine, config: config, at: count, seed: seed, now: now.unixSeconds)
        // Still a working node: it answers a ping.
        let rpc = g.r.nodeID()
        let ping = WireMessage(rpcID: rpc, sender: g.peers[0].id, layer: 0, body: .request(method: "ping", args: []))
        let out = engine.receive(MessageCodec.encode(ping), from: Endpoint(address: 0x7f00_0001, port: 9), now: now)
        #expect(out.contains { if case .send = $0 { true } else { false } })
        let s = engine.stateSizes
        print(
            "semantic fuzz: \(served) calls, \(replies) replies, \(completed) operations completed, at most \(maxPending) pending calls and \(maxLookups) lookups; now \(s.records) records, \(s.published) published, \(s.contacts) contacts, \(s.counterKeys) counter keys, dropped \(engine.counters.dropped.sorted { $0.key < $1.key })"
        )
    }

    static func checkBudgets(_ engine: DHTEngine, config: EngineConfiguration, at i: Int, seed: UInt64, now: Int64) throws {
        let s = engine.stateSizes
        let context = Comment(rawValue: "after \(i) messages, seed \(seed)")
        #expect(s.records <= config.maxRecords + 2, context)  // + the nodeState of each layer
        #expect(s.lookups <= config.maxConcurrentLookups, context)
        #expect(s.pendingCalls <= config.maxPendingCalls + config.maxConcurrentLookups * (config.alpha + 4) + 64, context)
        #expect(s.reassemblyBytes <= ReassemblyLimits.default.maxBufferedBytes, context)
        #expect(s.reassemblySets <= ReassemblyLimits.default.maxPendingSets, context)
        #expect(s.rateLimitedSources <= config.rateLimit!.maxSources, context)
        #expect(s.republishQueue <= s.published, context)
        #expect(s.longestCounterKey <= 16, context)
        for (_, layer) in engine.counters.layers {
            #expect(layer.rpcCalls.count <= MethodName.known.count + 1, context)
            #expect(Set(layer.rpcResponses.keys).isSubset(of: ["ping", "store", "findNode", "findValue", "timeout"]), context)
        }
        #expect(engine.counters.dropped.count <= 8, context)
        for layer in engine.layerIDs {
            // nodeState is this node's own, rewritten only when its contents change, and never expires.
            for r in engine.records(layer: layer) where r.key != DHTKey.nodeState.hexUTF8 {
                #expect((0...RecordBounds.maxExpireSeconds).contains(r.expireSeconds), context)
                #expect(
                    r.originallyPublished <= now && now - r.originallyPublished <= RecordBounds.maxAgeSeconds + 86_400 * 2,
                    "\(r.keyText.prefix(40)) published \(r.originallyPublished) expire \(r.expireSeconds) now \(now) layer \(layer), \(context.rawValue)")
            }
        }
        try #require(s.lookups <= config.maxConcurrentLookups, context)
    }
}
