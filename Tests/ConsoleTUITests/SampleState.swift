import ConsoleModel
import ConsoleTUI
import DHTCore
import DHTWire

/// A fixed, fully deterministic console state for snapshot tests.
enum SampleState {
    static func time(_ s: Double) -> Timestamp { Timestamp(seconds: 1_700_000_000 + s) }
    static func nid(_ high: UInt64, _ low: UInt32) -> NodeID { NodeID(high: high, middle: 0x1234_5678_9abc_def0, low: low) }
    static func endpoint(_ n: UInt32) -> Endpoint { Endpoint(address: 0x0a00_0000 | n, port: 14441) }

    static func make(width: Int, height: Int) -> ConsoleState {
        var st = ConsoleState()
        st.themeName = "dark"
        var buckets: [KBucket] = []
        for p in 0..<4 {
            buckets.append(
                KBucket(
                    prefix: nid(UInt64(0x8000_0000_0000_0000) >> UInt64(p), 0), prefixLength: p + 1,
                    lastChanged: time(-60)))
        }
        let record = StoredRecord(
            layer: 0, key: Array("3f2a9c1e0b7d4e5f6a7b8c9d0e1f2a3b4c5d6e7f".utf8),
            value: .string("{\"type\":\"message\",\"key\":\"x\u{1b}[2J\u{1b}]0;pwned\u{07}\",\"n\":[1,2]}"),
            lastPublished: 1_700_000_000 - 30, originallyPublished: 1_700_000_000 - 90,
            publisher: nid(0xabcd_0000_0000_0000, 1), expireSeconds: 3600)
        let suppliers = StoredRecord(
            layer: 0, key: Array("74285c981a32dc7a7397831ec9cb9fe5e75770f6".utf8),
            value: .string(
                "{\n\"customer_idurl\":\"http://127.0.0.1:8084/alice.xml\",\n\"ecc_map\":\"ecc/2x2\",\n"
                    + "\"key\":\"suppliers:http://127.0.0.1:8084/alice.xml:0:7\",\n\"revision\":3,\n\"suppliers\":[\n"
                    + "\"http://127.0.0.1:8084/bob.xml\",\n\"http://127.0.0.1:8084/carol.xml\"\n],\n"
                    + "\"timestamp\":1699999700,\n\"type\":\"suppliers\"\n}"),
            lastPublished: 1_700_000_000 - 10, originallyPublished: 1_700_000_000 - 10,
            publisher: nid(0xabcd_0000_0000_0000, 2), expireSeconds: 3600)
        let badNickname = StoredRecord(
            layer: 0, key: Array("5b1c0e4f2a3d6e7f8091a2b3c4d5e6f708192a3b".utf8),
            value: .string("{\"key\":\"nickname:bob:0:7\",\"nickname\":\"bob\",\"position\":\"0\",\"timestamp\":1699990000,\"type\":\"nickname\"}"),
            lastPublished: 1_700_000_000 - 600, originallyPublished: 1_700_000_000 - 600,
            publisher: nil, expireSeconds: 200)
        let snapshot = NodeSnapshot(
            takenAt: time(0),
            layers: [
                .init(
                    layer: 0, nodeID: nid(0x0102_0304_0506_0708, 9), state: .attached, buckets: buckets,
                    records: [record, suppliers, badNickname])
            ],
            counters: Counters(), pending: [], lookups: [], addressText: "0.0.0.0:14441",
            dataDirectory: "/var/lib/dhtop", startedAt: time(-3725), k: 8)
        _ = st.apply(.snapshot(snapshot))
        var events: [NodeEvent] = []
        for i in 0..<10 {
            let high = UInt64(0x8000_0000_0000_0000) >> UInt64(i % 4) | UInt64(i)
            var c = Contact(id: nid(high, UInt32(i)), endpoint: endpoint(UInt32(i + 1)), seen: time(Double(-i * 100)))
            c.rtt = .milliseconds(Int64(5 + i))
            if i == 3 { c.failures = 2 }
            events.append(.contactAdded(layer: 0, contact: c, bucket: i % 4))
        }
        let rpc = RPCInfo(
            rpcID: nid(1, 1), method: "findNode", peer: endpoint(7), peerID: nil, layer: 0,
            sentAt: time(-1), timeout: .seconds(5), attempt: 1, lookup: nil)
        let done = RPCInfo(
            rpcID: nid(1, 2), method: "ping", peer: endpoint(8), peerID: nil, layer: 0,
            sentAt: time(-2), timeout: .seconds(5), attempt: 1, lookup: nil)
        var lookup = LookupSummary(
            id: LookupID(3), layer: 0, target: nid(0xfeed_0000_0000_0000, 5), purpose: .findValue,
            startedAt: time(-1))
        lookup.rounds = 2
        lookup.inFlight = 3
        lookup.responders = 6
        lookup.closestCommonPrefix = 14
        var join = LookupSummary(
            id: LookupID(2), layer: 0, target: nid(0x0102_0304_0506_0708, 9), purpose: .join, startedAt: time(-3))
        join.rounds = 2
        join.rpcsSent = 5
        join.responders = 3
        join.termination = .exhausted
        join.elapsed = .milliseconds(12)
        events += [
            .lookupStarted(join), .lookupFinished(join),
            .rpcSent(rpc), .rpcSent(done), .rpcAnswered(done, latency: .milliseconds(4), error: nil),
            .lookupStarted(lookup), .lookupProgressed(lookup),
            .requestServed(
                ServedRequest(
                    layer: 0, method: "store", from: endpoint(9), sender: nid(9, 9),
                    question: false, error: nil)),
            .datagramDropped(from: endpoint(66), bytes: 12, reason: .malformed("bad \u{1b}[31mbencode"))
        ]
        _ = st.apply(.events(events, at: time(0)))
        _ = st.apply(.tick(time(0)))
        _ = st.apply(.resize(width: width, height: height))
        return st
    }
}
