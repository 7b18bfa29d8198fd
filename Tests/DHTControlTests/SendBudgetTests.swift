import NodeAPI
import DHTControl
import LocalNode
import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Subscribers that never read: all of them together never hold more than the send budget,
/// the worst are disconnected, and a console that reads keeps its snapshots and events.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SendBudgetTests {
    @Test func thirtySilentSubscribersStayWithinTheBudgetWhileAReaderIsServed() async throws {
        let budget = 64 << 10
        let f = try await ControlFixture(
            snapshotInterval: .milliseconds(300),
            configure: {
                $0.limits = quickLimits(handshake: .seconds(30), idle: .seconds(30))
                $0.limits.sendBudgetBytes = budget
                $0.limits.snapshotPartBytes = 4 << 10
            }, snapshot: { bigSnapshot($0, count: 1_000, bytes: 1_000) })
        defer { f.stop() }
        #expect(f.server.configuration.limits.perClientSendBytes == budget / 4)

        let snapshots = Counter(), pings = Counter(), closed = StringBox()
        let reader = try ControlClient.connect(path: f.socketPath)
        defer { reader.close() }
        reader.startReading(
            { message in
                switch message {
                case .snapshot(let s) where s.layers.first?.records.count == 1_000: snapshots.add()
                case .events(let e) where e.map(\.event).contains(where: isServedPing): pings.add()
                default: break
                }
            }, onClose: { closed.add($0) })
        reader.send(.subscribe)
        #expect(eventually(timeout: 30) { snapshots.value >= 1 })

        var silent: [RawSocket] = []
        for _ in 0..<30 {
            let s = try RawSocket.unix(f.socketPath)
            #expect(s.send(helloLine + subscribeLine))
            silent.append(s)
        }
        for _ in 0..<40 {
            #expect(f.server.bufferedBytes <= budget)
            #expect(await f.pingFromPeer())
        }
        // The budget bound them: some silent subscribers were dropped, and the total never
        // passed the budget although 30 of them each wanted a 1 MB snapshot.
        #expect(eventually(timeout: 30) { silent.contains(where: \.peerClosed) })
        #expect(f.server.peakBufferedBytes <= budget)
        #expect(f.server.peakBufferedBytes > budget / 4)
        // The reader was never the one dropped; it still gets whole snapshots and events.
        let before = snapshots.value
        #expect(eventually(timeout: 30) { snapshots.value > before })
        #expect(await f.pingFromPeer())
        #expect(eventually(timeout: 30) { pings.value >= 1 })
        #expect(closed.values.isEmpty, "\(closed.values)")
        withExtendedLifetime(silent) {}
    }
}

/// A snapshot of `node` with `count` synthetic records of `bytes` each on layer 0.
func bigSnapshot(_ node: DHTNode, count: Int, bytes: Int) -> @Sendable () -> NodeSnapshot {
    let records = (0..<count).map { i in
        let text = String(i) + ":" + String(repeating: "v", count: bytes)
        return StoredRecord(
            layer: 0, key: Array(String(format: "%040x", i).utf8), value: .bytes(Array(text.utf8.prefix(bytes))),
            lastPublished: 1_700_000_000, originallyPublished: 1_700_000_000, publisher: nil, expireSeconds: 86_400)
    }
    let builder = NodeSnapshotBuilder(node: node)
    return {
        var s = builder.snapshot()
        if !s.layers.isEmpty { s.layers[0].records = records }
        return s
    }
}
