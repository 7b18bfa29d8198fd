import BitDustRecords
import DHTControl
import DHTCore
import DHTWire
import Foundation
import NodeAPI
import Testing

/// The control protocol's bytes for fixed messages, compared with `Fixtures/wire-v3.jsonl`, so
/// that any change of the wire shows as a diff of that file. It is rewritten only with
/// `DHTOP_RECORD_SNAPSHOTS=1 swift test --filter WireGoldenTests` (a recording run fails, so it
/// can never pass by itself); review the diff, and bump `ControlProtocol.version` when a
/// message changed incompatibly.
@Suite struct WireGoldenTests {
    static let fixture: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Fixtures/wire-v\(ControlProtocol.version).jsonl"
    }()

    static let a = NodeID(hex: "00112233445566778899aabbccddeeff00112233")!
    static let b = NodeID(hex: "8899aabbccddeeff00112233445566778899aabb")!
    static let e1 = Endpoint(host: "10.1.2.3", port: 14441)!
    static let e2 = Endpoint(host: "127.0.0.1", port: 0)!
    static func t(_ ms: Int64) -> Timestamp { Timestamp(nanoseconds: 1_800_000_000_000_000_000 + ms * 1_000_000) }

    static var contact: Contact {
        var c = Contact(id: b, endpoint: e1, seen: t(1))
        c.lastSeen = t(2)
        c.lastReply = t(3)
        c.failures = 1
        c.rtt = .microseconds(1500)
        return c
    }

    /// As the engine reports a failed contact: `failures` is the contact's own count.
    static var failed: Contact {
        var c = contact
        c.failures = 2
        return c
    }

    static var rpc: RPCInfo {
        RPCInfo(
            rpcID: a, method: "findValue", peer: e1, peerID: b, layer: 2, sentAt: t(4), timeout: .seconds(5), attempt: 2,
            lookup: LookupID(7))
    }

    static var lookup: LookupSummary {
        var s = LookupSummary(id: LookupID(7), layer: 2, target: a, purpose: .findValue, startedAt: t(5))
        s.rounds = 3
        s.rpcsSent = 9
        s.inFlight = 1
        s.responders = 6
        s.timeouts = 2
        s.closest = [ContactTriple(id: b, endpoint: e1, layer: 2)]
        s.closestCommonPrefix = 1
        s.termination = .converged
        s.elapsed = .microseconds(812_250)
        return s
    }

    static var snapshot: NodeSnapshot {
        var bucket = KBucket(
            lower: .zero, prefixLength: 0, contacts: [contact], replacements: [], lastChanged: t(6),
            pendingHeadPing: b, pendingHeadPingSince: t(7))!
        bucket = KBucket(
            lower: bucket.lower, prefixLength: 0, contacts: bucket.contacts, replacements: [contact], lastChanged: t(6),
            pendingHeadPing: nil, pendingHeadPingSince: nil)!
        let records = [
            StoredRecord(
                layer: 2, key: Array(a.hex.utf8), value: .bytes(Array("{\"k\": 1}".utf8)), lastPublished: 1_800_000_100,
                originallyPublished: 1_800_000_000, publisher: b, expireSeconds: 60),
            StoredRecord(
                layer: 2, key: [0xff, 0x00], value: .dict([.int(3): .list([.int(-1), .bytes([0xfe])]), .bytes(Array("x".utf8)): "y"]),
                lastPublished: 5, originallyPublished: 4, publisher: nil, expireSeconds: 86_400)
        ]
        var counters = Counters()
        counters.bytesReceived = 100
        counters.bytesSent = 200
        counters.datagramsReceived = 3
        counters.datagramsSent = 4
        var layer = Counters.Layer()
        layer.packetsReceived = 5
        layer.packetsSent = 6
        layer.rpcCalls = ["ping": 2]
        layer.rpcResponses = ["timeout": 1]
        counters.layers = [2: layer]
        counters.dropped = ["rate_limited": 7]
        counters.unsolicitedRequests = 8
        return NodeSnapshot(
            takenAt: t(8), layers: [.init(layer: 2, nodeID: a, state: .attached, buckets: [bucket], records: records)],
            counters: counters, pending: [rpc], lookups: [lookup], addressText: "0.0.0.0:14441",
            dataDirectory: "/var/lib/dhtop", startedAt: t(0), k: 20)
    }

    /// One event of every kind, 1 ms apart.
    static var events: [TimedEvent] {
        let list: [NodeEvent] = [
            .contactAdded(layer: 2, contact: contact, bucket: 0),
            .contactRefreshed(layer: 2, contact: contact, bucket: 1),
            .contactEvicted(layer: 2, contact: contact, reason: "failed"),
            .contactFailed(layer: 2, contact: failed, failures: 2),
            .bucketSplit(layer: 2, bucket: 0, prefixLength: 1),
            .rpcSent(rpc),
            .rpcAnswered(rpc, latency: .microseconds(12_345), error: "builtins.ValueError: x"),
            .rpcTimedOut(rpc),
            .requestServed(ServedRequest(layer: 2, method: "store", from: e1, sender: b, question: true, error: nil)),
            .lookupStarted(lookup), .lookupProgressed(lookup), .lookupFinished(lookup),
            .valueStored(layer: 2, key: a, keyText: a.hex, bytes: 9, publisher: b, from: e1),
            .valueStored(layer: 0, key: nil, keyText: "k\u{1b}", bytes: 1, publisher: nil, from: nil),
            .storeRefused(layer: 2, keyText: "k", from: e2, reason: "refused"),
            .valueServed(layer: 2, keyText: "k", to: e1),
            .valueExpired(layer: 2, keyText: "k"),
            .valueDeleted(layer: 2, keyText: "k", by: nil),
            .valueDeleted(layer: 2, keyText: "k", by: e1),
            .valueReplicated(layer: 2, keyText: "k", to: ContactTriple(id: b, endpoint: e1, layer: 2), republish: true),
            .datagramDropped(from: e1, bytes: 3, reason: .malformed("bad int")),
            .datagramDropped(from: e1, bytes: 3, reason: .badFrame("short")),
            .datagramDropped(from: e1, bytes: 3, reason: .unknownLayer(9)),
            .datagramDropped(from: e1, bytes: 3, reason: .unmatchedReply),
            .datagramDropped(from: e1, bytes: 3, reason: .ownID),
            .datagramDropped(from: e1, bytes: 3, reason: .rateLimited),
            .layerStateChanged(layer: 2, nodeID: a, state: .joining),
            .storageFailed(layer: 2, keys: ["k1", "k2"], reason: "disk full")
        ]
        return list.enumerated().map { TimedEvent($1, at: t(Int64(10 + $0))) }
    }

    static var lines: [[UInt8]] {
        var out: [[UInt8]] = [
            ControlProtocol.line(ClientMessage.hello(version: ControlProtocol.version)),
            ControlProtocol.line(ClientMessage.subscribe),
            ControlProtocol.line(ClientMessage.command(id: 3, .set(try! KeyArgument("demo"), value: "v", expireSeconds: 60), layer: 2)),
            ControlProtocol.line(ClientMessage.command(id: 4, .getRecord(type: .nodeState, parts: []), layer: 0)),
            ControlProtocol.line(ClientMessage.command(id: 5, .forget(b), layer: 2)),
            ControlProtocol.line(ServerMessage.welcome(version: ControlProtocol.version, nodeVersion: "test", pid: 42)),
            ControlProtocol.line(ServerMessage.snapshot(snapshot))
        ]
        var stream = SnapshotStream(seq: 1, snapshot: snapshot, partBytes: 200)
        while let line = stream.nextLine() { out.append(line) }
        out.append(ControlProtocol.line(ServerMessage.events(events)))
        out.append(ControlProtocol.line(ServerMessage.progress(id: 3, line: "round 1: 3 RPCs, 3 answered")))
        out.append(ControlProtocol.line(ServerMessage.outcome(id: 3, .failure("no contacts"))))
        // The reach commands (issue 12), added after the rest so that no earlier line moved.
        out.append(ControlProtocol.line(ClientMessage.command(id: 5, .discover(DiscoverOptions(count: 3, seconds: 20)), layer: 3)))
        out.append(
            ControlProtocol.line(ClientMessage.command(id: 6, .watch(.key(try! KeyArgument("demo")), WatchOptions(intervalSeconds: 5, count: 2)), layer: 0)))
        out.append(
            ControlProtocol.line(
                ClientMessage.command(id: 7, .watch(.record(type: .nodeState, parts: []), WatchOptions(intervalSeconds: 10, count: 1)), layer: 0)))
        out.append(ControlProtocol.line(ClientMessage.command(id: 8, .crawl(CrawlOptions(rate: 50, maxNodes: 100)), layer: 0)))
        out.append(ControlProtocol.line(ClientMessage.command(id: 9, .latency, layer: 0)))
        out.append(ControlProtocol.line(ServerMessage.progress(id: 8, line: "3f2a9c01  127.0.0.1:14443  responsive  layers 0,3")))
        return out
    }

    @Test func theWireMatchesTheCommittedFixture() throws {
        let text = String(decoding: Self.lines.joined(), as: UTF8.self)
        if let v = ProcessInfo.processInfo.environment["DHTOP_RECORD_SNAPSHOTS"], v == "1" {
            try text.write(toFile: Self.fixture, atomically: true, encoding: .utf8)
            Issue.record("recorded \(Self.fixture); review the diff")
            return
        }
        let expected = try String(contentsOfFile: Self.fixture, encoding: .utf8)
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(got.count == want.count)
        for (n, (g, w)) in zip(got, want).enumerated() where g != w {
            Issue.record("line \(n + 1) of the wire differs from the fixture:\n got  \(g)\n want \(w)")
        }
    }

    /// Each fixture line decodes, and encodes again to the very same bytes: nothing is lost.
    @Test func everyFixtureLineDecodesToItself() throws {
        for line in Self.lines {
            let body = line.dropLast()
            if let server = try? ControlProtocol.decode(ServerMessage.self, body) {
                guard case .snapshotPart = server else {
                    #expect(ControlProtocol.line(server) == line, "\(String(decoding: line, as: UTF8.self))")
                    continue
                }
                continue  // hand-built by SnapshotStream, checked through the assembler below
            }
            let client = try ControlProtocol.decode(ClientMessage.self, body)
            #expect(ControlProtocol.line(client) == line)
        }
        guard case .events(let back) = try ControlProtocol.decode(ServerMessage.self, ControlProtocol.line(ServerMessage.events(Self.events)).dropLast())
        else {
            Issue.record("not events")
            return
        }
        #expect(back.count == Self.events.count)
        for (n, (got, want)) in zip(back, Self.events).enumerated() where got != want {
            Issue.record("event \(n) came back as \(got.event), sent \(want.event)")
        }
    }

    @Test func aStreamedSnapshotIsReassembledWhole() throws {
        var stream = SnapshotStream(seq: 1, snapshot: Self.snapshot, partBytes: 200)
        var assembler = SnapshotAssembler(maxBytes: 1 << 20)
        var whole: NodeSnapshot?
        while let line = stream.nextLine() {
            switch try ControlProtocol.decode(ServerMessage.self, line.dropLast()) {
            case .snapshotBegin(let seq, let header, let counts): try assembler.begin(seq: seq, header, recordCounts: counts, lineBytes: line.count)
            case .snapshotPart(let seq, let layer, let records): try assembler.part(seq: seq, layer: layer, records, lineBytes: line.count)
            case .snapshotEnd(let seq): whole = try assembler.end(seq: seq)
            default: Issue.record("unexpected line")
            }
        }
        let s = try #require(whole)
        #expect(ControlProtocol.line(ServerMessage.snapshot(s)) == ControlProtocol.line(ServerMessage.snapshot(Self.snapshot)))
        #expect(s.layers[0].records == Self.snapshot.layers[0].records)
        #expect(s.layers[0].buckets == Self.snapshot.layers[0].buckets)
        #expect(s.pending == [Self.rpc] && s.lookups == [Self.lookup] && s.counters == Self.snapshot.counters)
    }

    /// Values that make no core value are refused with a decoding error, never a trap.
    @Test func badWireValuesAreRefused() {
        let good = String(decoding: ControlProtocol.line(ServerMessage.snapshot(Self.snapshot)).dropLast(), as: UTF8.self)
        let swaps = [
            ("\"prefix_length\":0", "\"prefix_length\":500"),
            ("\"prefix_length\":0", "\"prefix_length\":-1"),
            ("\"lower\":\"0000000000000000000000000000000000000000\"", "\"lower\":\"00000000000000000000000000000000000000ff\""),
            ("\"state\":\"attached\"", "\"state\":\"floating\""),
            ("\"address\":\"10.1.2.3:14441\"", "\"address\":\"10.1.2.3:99999\""),
            ("\"purpose\":\"findValue\"", "\"purpose\":\"nothing\""),
            ("\"node_id\":\"\(Self.a.hex)\"", "\"node_id\":\"zz\""),
            ("\"layer\":2,\"packets_received\"", "\"layer\":\"two\",\"packets_received\"")
        ]
        for (from, to) in swaps {
            #expect(good.contains(from), "fixture lacks \(from)")
            let bad = good.replacingOccurrences(of: from, with: to)
            #expect(throws: (any Error).self, "\(to) was accepted") { try ControlProtocol.decode(ServerMessage.self, Array(bad.utf8)) }
        }
        let oldCommand = #"{"type":"command","id":1,"command":{"verb":"get","key":"k"}}"#
        #expect(throws: (any Error).self) { try ControlProtocol.decode(ClientMessage.self, Array(oldCommand.utf8)) }
        let badEvent = #"{"type":"events","events":[{"type":"bucket_split","time":1e400,"layer":0,"bucket":0,"prefix_length":1}]}"#
        #expect(throws: (any Error).self) { try ControlProtocol.decode(ServerMessage.self, Array(badEvent.utf8)) }
    }
}
