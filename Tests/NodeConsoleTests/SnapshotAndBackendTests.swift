import ConsoleModel
import DHTCore
import DHTRuntime
import DHTWire
import LocalNode
import NodeAPI
import NodeConsole
import TestKit
import Testing

/// The snapshot builder and the backend against a real 3-node network on 127.0.0.1.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct SnapshotAndBackendTests {
    @Test func snapshotReflectsContactsAndRecords() async throws {
        let nodes = try await Loopback.network(3)
        defer { for n in nodes { n.stop() } }
        let key = DHTKey.hash("snapshot-key")
        let value = BValue.string("{\"type\":\"skip_validation\",\"n\":1}")
        guard case .stored(let s) = await nodes[2].perform(.store(key: key, value: value, expireSeconds: 600, layer: 0)) else {
            Issue.record("store failed")
            return
        }
        #expect(s.okCount >= 1)
        let snapshot = NodeSnapshotBuilder(node: nodes[0]).snapshot()
        let layer = try #require(snapshot.layers.first)
        #expect(snapshot.layers.count == 1 && layer.layer == 0)
        #expect(layer.nodeID == nodes[0].withEngine { $0.nodeID(layer: 0) })
        #expect(layer.state == .attached)
        let contacts = Set(layer.buckets.flatMap(\.contacts).map(\.endpoint))
        #expect(contacts == Set([Loopback.endpoint(nodes[1]), Loopback.endpoint(nodes[2])]))
        #expect(layer.records.contains { $0.key == key.hexUTF8 && $0.value == value })
        #expect(snapshot.k == 4)
        #expect(snapshot.addressText == "127.0.0.1:\(nodes[0].port)")
        #expect(snapshot.dataDirectory == "-")
        #expect(snapshot.counters.datagramsReceived > 0)
        #expect(snapshot.takenAt >= snapshot.startedAt)

        // The console folds it into its panes.
        var state = ConsoleState()
        _ = state.apply(.snapshot(snapshot))
        #expect(state.keys.count(layer: 0) == layer.records.count && layer.records.count >= 1)
        #expect(state.header.addressText == snapshot.addressText)
    }

    @Test func backendCommandsRoundTripWithCosts() async throws {
        let nodes = try await Loopback.network(3)
        defer { for n in nodes { n.stop() } }
        let backend = LocalNodeBackend(node: nodes[2])
        let value = "{\"type\":\"skip_validation\",\"v\":1}"

        let (set, _) = await backend.outcome(.set(try KeyArgument("demo-key"), value: value, expireSeconds: nil))
        #expect(set.succeeded, "\(set)")
        #expect(set.summary.hasPrefix("stored on ") && set.summary.contains("RPC") && set.summary.hasSuffix(" ms"))
        #expect(set.detail.contains { $0.hasPrefix("OK ") })

        let (get, _) = await backend.outcome(.get(try KeyArgument("demo-key")))
        #expect(get.succeeded, "\(get)")
        #expect(get.summary.hasPrefix("found after ") && get.summary.hasSuffix(" ms"))
        #expect(get.detail.joined(separator: "\n").contains("\"skip_validation\""))

        let (missing, _) = await backend.outcome(.get(try KeyArgument("no-such-key")))
        #expect(!missing.succeeded && missing.summary.hasPrefix("not found after "))

        let (ping, _) = await backend.outcome(.ping(Loopback.endpoint(nodes[0])))
        #expect(ping.succeeded && ping.summary.hasPrefix("pong from ") && ping.summary.hasSuffix(" ms"), "\(ping)")

        let target = nodes[0].withEngine { $0.nodeID(layer: 0)! }
        let (find, progress) = await backend.outcome(.find(try KeyArgument.findTarget(target.hex)))
        #expect(find.succeeded && find.summary.contains("closest found after"), "\(find)")
        #expect(find.detail.first?.hasPrefix(target.hex) == true)
        #expect(!progress.isEmpty && progress.allSatisfy { $0.hasPrefix("round ") }, "\(progress)")

        let (join, _) = await backend.outcome(.join(Loopback.endpoint(nodes[1])))
        #expect(join.succeeded && join.summary.hasPrefix("joined: "), "\(join)")

        // delete removes this node's own copy only. With 3 nodes (fewer than k) every store is
        // also kept locally, so the key is held here.
        let heldKey = DHTKey.hash("demo-key").hexUTF8
        #expect(nodes[2].withEngine { $0.record(layer: 0, key: heldKey) } != nil)
        let (delete, _) = await backend.outcome(.delete(try KeyArgument("demo-key")))
        #expect(delete.succeeded && delete.summary.hasPrefix("deleted "), "\(delete)")
        #expect(nodes[2].withEngine { $0.record(layer: 0, key: heldKey) } == nil)
        #expect(nodes[0].withEngine { $0.record(layer: 0, key: heldKey) } != nil)
        let (again, _) = await backend.outcome(.delete(try KeyArgument("demo-key")))
        #expect(!again.succeeded && again.summary.hasSuffix("is not stored on this node"), "\(again)")
    }

    @Test func refusedStoresListEachNodesReason() async throws {
        let genesis = try Loopback.node(validate: true)
        defer { genesis.stop() }
        _ = await genesis.join()
        let client = try Loopback.node(seeds: [Loopback.endpoint(genesis)], validate: true)
        defer { client.stop() }
        _ = await client.join()
        let (outcome, _) = await LocalNodeBackend(node: client).outcome(.set(try KeyArgument("k"), value: "not json", expireSeconds: 600))
        #expect(!outcome.succeeded, "\(outcome)")
        #expect(outcome.detail.contains { $0.hasPrefix("refused ") && $0.contains("ValueError") }, "\(outcome.detail)")
        #expect(outcome.summary.contains("refused: "))
    }
}
