import NodeAPI
import DHTControl
import DHTCore
import DHTWire
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Snapshots of any size arrive whole, in lines under the line limit; an attached console
/// hears at once when its node goes away.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SnapshotStreamingTests {
    @Test func tenThousandRecordsOfTwoKilobytesArriveWholeAndTheClientStaysConnected() async throws {
        let f = try await ControlFixture(snapshotInterval: .seconds(3), snapshot: { bigSnapshot($0, count: 10_000, bytes: 2_048) })
        defer { f.stop() }
        let expected = bigSnapshot(f.node, count: 10_000, bytes: 2_048)()
        // As one line it would be over the client's line limit.
        #expect(ControlProtocol.line(ServerMessage.snapshot(expected)).count > ControlProtocol.maxServerLineBytes)

        let client = try ControlClient.connect(path: f.socketPath)
        defer { client.close() }
        client.send(.subscribe)
        let first = try client.waitFor(timeoutMillis: 60_000) { if case .snapshot(let s) = $0 { return s } else { return nil } }
        let records = try #require(first.layers.first?.records)
        #expect(records.count == 10_000)
        #expect(records == expected.layers[0].records)
        #expect(first.layers.first?.nodeID == expected.layers.first?.nodeID)
        // Still connected: the next snapshot and live events keep coming.
        let second = try client.waitFor(timeoutMillis: 60_000) { if case .snapshot(let s) = $0 { return s } else { return nil } }
        #expect(second.layers.first?.records.count == 10_000)
        #expect(await f.pingFromPeer())
        _ = try client.waitFor(timeoutMillis: 60_000) { m -> Bool? in
            if case .events(let e) = m, e.map(\.event).contains(where: isServedPing) { return true } else { return nil }
        }
        #expect(f.server.clientCount == 1)
        #expect(f.server.peakBufferedBytes <= f.server.configuration.limits.sendBudgetBytes)
    }

    @Test func streamLinesStayUnderThePartSizeAndReassemble() throws {
        let records = (0..<50).map { i in
            StoredRecord(
                layer: 0, key: Array("k\(i)".utf8), value: .bytes(Array(repeating: 0x41, count: i == 7 ? 5_000 : 300)),
                lastPublished: 1, originallyPublished: 1, publisher: nil, expireSeconds: 60)
        }
        let id = NodeID(hex: "00112233445566778899aabbccddeeff00112233")!
        let layer = NodeSnapshot.Layer(layer: 0, nodeID: id, state: .attached, buckets: [], records: records)
        let empty = NodeSnapshot.Layer(layer: 1, nodeID: id, state: .attached, buckets: [], records: [])
        let snapshot = NodeSnapshot(
            takenAt: Timestamp(unixSeconds: 9), layers: [empty, layer], counters: .init(), pending: [], lookups: [],
            addressText: "127.0.0.1:1", dataDirectory: "-", startedAt: Timestamp(unixSeconds: 1), k: 20)
        var stream = SnapshotStream(seq: 3, snapshot: snapshot, partBytes: 2_000)
        var assembler = SnapshotAssembler(maxBytes: 1 << 20)
        var lines = 0
        var result: NodeSnapshot?
        while let line = stream.nextLine() {
            lines += 1
            let message = try ControlProtocol.decode(ServerMessage.self, line.dropLast())
            switch message {
            case .snapshotBegin(let seq, let header, let counts):
                #expect(header.layers.allSatisfy { $0.records.isEmpty } && counts == [0, 50])
                try assembler.begin(seq: seq, header, recordCounts: counts, lineBytes: line.count)
            case .snapshotPart(let seq, let l, let part):
                // Over the part size only when one record alone is bigger.
                #expect(line.count <= 2_000 || part.count == 1)
                try assembler.part(seq: seq, layer: l, part, lineBytes: line.count)
            case .snapshotEnd(let seq): result = try assembler.end(seq: seq)
            default: Issue.record("unexpected \(message)")
            }
        }
        #expect(lines > 10)
        #expect(result?.layers[1].records == records)
        #expect(result?.layers[0].records.isEmpty == true)

        // The client's own bound, and parts that do not belong.
        var small = SnapshotAssembler(maxBytes: 10_000)
        var again = SnapshotStream(seq: 4, snapshot: snapshot, partBytes: 2_000)
        var failure: ControlError?
        while let line = again.nextLine(), failure == nil {
            do {
                switch try ControlProtocol.decode(ServerMessage.self, line.dropLast()) {
                case .snapshotBegin(let s, let h, let c): try small.begin(seq: s, h, recordCounts: c, lineBytes: line.count)
                case .snapshotPart(let s, let l, let p): try small.part(seq: s, layer: l, p, lineBytes: line.count)
                case .snapshotEnd(let s): _ = try small.end(seq: s)
                default: break
                }
            } catch let e as ControlError { failure = e }
        }
        #expect(failure?.message.contains("10000-byte limit") == true, "\(String(describing: failure))")
        var stray = SnapshotAssembler(maxBytes: 1 << 20)
        #expect(throws: ControlError.self) { try stray.part(seq: 1, layer: 0, records, lineBytes: 10) }
        try stray.begin(seq: 1, snapshot, recordCounts: [0, 2], lineBytes: 10)
        #expect(throws: ControlError.self) { try stray.part(seq: 2, layer: 1, [records[0]], lineBytes: 10) }
        #expect(throws: ControlError.self) { try stray.part(seq: 1, layer: 5, [records[0]], lineBytes: 10) }
        #expect(throws: ControlError.self) { try stray.part(seq: 1, layer: 0, [records[0]], lineBytes: 10) }
    }

    @Test func remoteConsoleReportsTheNodeGoingAwayAtOnce() async throws {
        let f = try await ControlFixture()
        defer { f.stop() }
        let snapshots = Counter(), reasons = StringBox()
        let remote = RemoteConsole(
            client: try ControlClient.connect(path: f.socketPath),
            handlers: .init(
                snapshot: { _ in snapshots.add() }, events: { _, _ in }, closed: { reasons.add($0) }))
        remote.start()
        #expect(eventually { snapshots.value >= 1 })
        #expect(remote.isAttached && remote.detachedReason == nil)
        f.server.stop()
        let reported = eventually(timeout: 30) { !reasons.values.isEmpty }
        #expect(reported, "clients \(f.server.clientCount)")
        #expect(reasons.values.count == 1)
        #expect(reasons.values.first?.contains("server stopping") == true, "\(reasons.values)")
        #expect(!remote.isAttached)
        #expect(remote.detachedReason == reasons.values.first)
        let after = OutcomeBox()
        remote.run(.ping(f.nodeEndpoint), layer: 0, progress: { _ in }, completion: { after.set($0) })
        #expect(after.value?.succeeded == false)
        // The node itself runs on.
        #expect(await f.pingFromPeer())
    }
}
