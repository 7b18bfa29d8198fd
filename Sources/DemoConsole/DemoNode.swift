import ConsoleModel
import ConsoleTUI
import NodeAPI
import DHTCore
import DHTWire
import Synchronization

/// A synthetic node for the console demo: a real `RoutingTable` fed with made-up peers, fake
/// RPCs, lookups and records (one value carries ESC and OSC sequences to show sanitizing).
///
/// Contract: thread-safe; all state sits behind one `Mutex`, stepped from a background queue.
final class DemoNode: Sendable {
    struct State {
        var table: RoutingTable
        var records: [StoredRecord] = []
        var counters = Counters()
        var pending: [RPCInfo] = []
        var lookups: [LookupSummary] = []
        var nextID: UInt64 = 1
        var rng = SystemRandomNumberGenerator()
    }

    let ownID: NodeID
    let startedAt: Timestamp
    private let state: Mutex<State>

    init(now: Timestamp) {
        var rng = SystemRandomNumberGenerator()
        ownID = NodeID.random(using: &rng)
        startedAt = now - .seconds(3725)
        state = Mutex(State(table: RoutingTable(ownID: ownID, configuration: EngineConfiguration(), now: now)))
        _ = step(now: now, burst: 120)
        state.withLock { s in s.records = DemoNode.sampleRecords(now: now, rng: &s.rng) }
    }

    static func sampleRecords(now: Timestamp, rng: inout SystemRandomNumberGenerator) -> [StoredRecord] {
        let t = now.unixSeconds
        func rec(_ key: String, _ json: String, age: Int64, expire: Int64) -> StoredRecord {
            StoredRecord(
                layer: 0, key: Array(DHTKey.hash(key).hex.utf8), value: .string(json), lastPublished: t - age / 2,
                originallyPublished: t - age, publisher: NodeID.random(using: &rng), expireSeconds: expire)
        }
        return [
            rec("nodeState", #"{"type":"nodeState","key":"nodeState","state":"ready","ts":1700000000}"#, age: 120, expire: 3600),
            rec(
                "alice@id-a.net:identity", #"{"type":"identity","key":"alice@id-a.net","revision":7,"sources":["http://id-a.net/alice.xml"]}"#, age: 5400,
                expire: 86400),
            rec(
                "suppliers:bob", #"{"type":"suppliers","key":"bob@id-b.net","ecc_map":"ecc/4x4","suppliers":["s1@id.net","s2@id.net",null]}"#, age: 30,
                expire: 600),
            rec(
                "evil",
                "{\"type\":\"message\",\"key\":\"x\u{1b}[2J\u{1b}]0;pwned\u{07}\",\"text\":\"hi \u{1b}]8;;http://evil\u{1b}\\\\link\u{1b}]8;;\u{1b}\\\\ \u{202e}gnp.exe\"}",
                age: 10, expire: 120),
            StoredRecord(
                layer: 0, key: Array(DHTKey.hash("raw").hex.utf8), value: .bytes([0xff, 0x1b, 0x41, 0x9b]),
                lastPublished: t, originallyPublished: t - 60, publisher: nil, expireSeconds: 300)
        ]
    }

    /// Advances the fake node: returns the events that "happened".
    func step(now: Timestamp, burst: Int = 3) -> [NodeEvent] {
        state.withLock { s in
            var events: [NodeEvent] = []
            // Answer or time out old RPCs.
            for rpc in s.pending where now - rpc.sentAt > .milliseconds(Int64.random(in: 20...900, using: &s.rng)) {
                s.pending.removeAll { $0.rpcID == rpc.rpcID }
                if Int.random(in: 0..<10, using: &s.rng) == 0 && now - rpc.sentAt > rpc.timeout / 5 {
                    events.append(.rpcTimedOut(rpc))
                    s.counters.layers[0, default: .init()].rpcResponses["timeout", default: 0] += 1
                } else {
                    events.append(.rpcAnswered(rpc, latency: now - rpc.sentAt, error: nil))
                }
            }
            for _ in 0..<burst {
                let roll = Int.random(in: 0..<10, using: &s.rng)
                let peerID = NodeID.random(using: &s.rng)
                let ep = Endpoint(address: 0x0a00_0000 | UInt32.random(in: 1...0xfffe, using: &s.rng), port: 14441)
                if roll < 4 {
                    for change in s.table.observe(
                        id: peerID, endpoint: ep, now: now, isReply: true,
                        rtt: .milliseconds(Int64.random(in: 2...200, using: &s.rng)))
                    {
                        if case .added(let c, let b) = change { events.append(.contactAdded(layer: 0, contact: c, bucket: b)) }
                        if case .split(let b, let p) = change { events.append(.bucketSplit(layer: 0, bucket: b, prefixLength: p)) }
                    }
                } else if roll < 7 {
                    let rpc = RPCInfo(
                        rpcID: NodeID.random(using: &s.rng), method: ["findNode", "ping", "findValue", "store"][roll % 4],
                        peer: ep, peerID: peerID, layer: 0, sentAt: now, timeout: .seconds(5), attempt: 1, lookup: nil)
                    s.pending.append(rpc)
                    s.counters.datagramsSent += 1
                    s.counters.bytesSent += 180
                    events.append(.rpcSent(rpc))
                } else if roll < 9 {
                    s.counters.unsolicitedRequests += 1
                    s.counters.bytesReceived += 150
                    events.append(
                        .requestServed(
                            ServedRequest(
                                layer: 0, method: "findNode", from: ep, sender: peerID,
                                question: false, error: nil)))
                } else {
                    events += stepLookups(&s, now: now)
                }
            }
            return events
        }
    }

    private func stepLookups(_ s: inout State, now: Timestamp) -> [NodeEvent] {
        if s.lookups.isEmpty {
            let target = NodeID.random(using: &s.rng)
            let l = LookupSummary(id: LookupID(s.nextID), layer: 0, target: target, purpose: .refresh, startedAt: now)
            s.nextID += 1
            s.lookups.append(l)
            return [.lookupStarted(l)]
        }
        var l = s.lookups.removeFirst()
        l.rounds += 1
        l.rpcsSent += 3
        l.responders += 2
        l.inFlight = 3
        l.timeouts += l.rounds % 3 == 0 ? 1 : 0
        l.closestCommonPrefix = min(160, (l.closestCommonPrefix ?? 0) + 3)
        l.elapsed = now - l.startedAt
        if l.rounds >= 4 {
            l.termination = .converged
            l.inFlight = 0
            return [.lookupFinished(l)]
        }
        s.lookups.append(l)
        return [.lookupProgressed(l)]
    }

    /// A full snapshot as the executable would build it.
    func snapshot(now: Timestamp) -> NodeSnapshot {
        state.withLock { s in
            NodeSnapshot(
                takenAt: now,
                layers: [
                    .init(layer: 0, nodeID: ownID, state: .attached, buckets: s.table.buckets, records: s.records),
                    .init(layer: 2, nodeID: ownID, state: .joined, buckets: [], records: [])
                ],
                counters: s.counters, pending: s.pending, lookups: s.lookups,
                addressText: "0.0.0.0:14441", dataDirectory: "/tmp/dhtop-demo", startedAt: startedAt,
                k: s.table.k)
        }
    }

    /// Stores a record (for the fake backend's `set`).
    func store(key: String, value: String, expire: Int64, now: Timestamp) {
        state.withLock { s in
            let k = Array((key.count == 40 ? key : DHTKey.hash(key).hex).utf8)
            s.records.removeAll { $0.key == k }
            s.records.append(
                StoredRecord(
                    layer: 0, key: k, value: .string(value), lastPublished: now.unixSeconds,
                    originallyPublished: now.unixSeconds, publisher: ownID, expireSeconds: expire))
        }
    }

    func record(key: String) -> StoredRecord? {
        let k = Array((key.count == 40 ? key : DHTKey.hash(key).hex).utf8)
        return state.withLock { s in s.records.first { $0.key == k } }
    }
}
