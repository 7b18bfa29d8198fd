import BitDustRecords
import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import LocalNode
import NodeAPI
import TestKit
import Testing

/// A read whose first lookup meets only contacts that are gone (`LocalNodeBackend.get`,
/// `getRecord`, `learnFarContacts`), on 127.0.0.1 with fixed node ids.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct FarContactsTests {
    /// `key` with `hex` (right-aligned) XORed into it.
    static func offset(_ key: NodeID, _ hex: String) -> NodeID {
        key ^ NodeID(hex: String(repeating: "0", count: 40 - hex.count) + hex)!
    }

    /// The nodes of one scenario, stopped and removed by `close`.
    final class Scenario {
        var nodes: [DHTNode] = []
        var directories: [String] = []
        var client: DHTNode?
        var offered: Set<NodeID> = []
        var departed: Set<NodeID> = []

        func start(_ id: NodeID, seeds: [DHTNode], attach: Bool = true) async throws -> DHTNode {
            let (node, directory) = try Loopback.node(id: id, seeds: seeds.map(Loopback.endpoint), attach: attach)
            directories.append(directory)
            nodes.append(node)
            _ = await node.join()
            return node
        }

        func close() {
            for n in nodes { n.stop() }
            for d in directories { try? FileManager.default.removeItem(atPath: d) }
        }
    }

    /// The seed S sits in the half of the id space away from `key`, with the holders H1–H3, which
    /// hold `value` (stored on them directly). Four nodes with ids next to the key joined
    /// through S and left (one-shot clients that came and went): S offers them for the key and
    /// for the client's own id, whose join therefore learns nobody but S, and whose first
    /// findValue asks only them. The holders can be found only through lookups towards ids far
    /// from the key; a second findValue from the same contacts asks the same dead ones.
    static func scenario(key: NodeID, value: BValue) async throws -> Scenario {
        let s = Scenario()
        let seed = try await s.start(offset(key, "8" + String(repeating: "0", count: 39)), seeds: [])
        var holders: [DHTNode] = []
        for high in ["c", "a", "9"] {
            holders.append(try await s.start(offset(key, high + String(repeating: "0", count: 37) + "11"), seeds: [seed]))
        }
        for low in 1...4 {
            let ghost = try await s.start(offset(key, String(low)), seeds: [seed])
            ghost.stop()
            s.departed.insert(offset(key, String(low)))
        }
        for h in holders {
            let args: [BValue] = [.bytes(key.hexUTF8), value, .none, .int(0), .int(600)]
            let stored = await seed.perform(.call(Loopback.endpoint(h), method: "store", args: args, layer: 0))
            guard case .answer = stored else { throw StoreFailed(description: "store on a holder: \(stored)") }
        }
        s.offered = Set(seed.withEngine { $0.routingTable(layer: 0)!.closest(to: key, count: 4).map(\.id) })
        s.client = try await s.start(offset(key, "100"), seeds: [seed], attach: false)
        return s
    }

    struct StoreFailed: Error, CustomStringConvertible { var description: String }

    @Test func aGetWhoseContactsNearTheKeyAreGoneFindsTheHoldersThroughFarLookups() async throws {
        let argument = try KeyArgument("far-contacts-key")
        let s = try await Self.scenario(key: argument.id, value: .string("{\"type\":\"skip_validation\",\"far\":1}"))
        defer { s.close() }
        #expect(s.offered == s.departed, "the scenario: the seed offers the departed nodes for the key")
        let (outcome, _) = await LocalNodeBackend(node: try #require(s.client)).outcome(.get(argument))
        #expect(outcome.succeeded, "\(outcome.summary)")
        #expect(outcome.fields["lookups"] == .int(2), "the first lookup met only departed nodes: \(outcome.fields)")
        #expect(outcome.fields["found"] == .bool(true))
        #expect(outcome.detail.joined(separator: "\n").contains("\"far\""))
    }

    @Test func aRecordReadWhoseContactsNearTheKeyAreGoneFindsTheHoldersThroughFarLookups() async throws {
        let parts = ["http://127.0.0.1:8084/far.xml"]
        let flow = try RecordWriteFlow(
            type: .suppliers, parts: parts, assignments: ["ecc_map=ecc/2x2", "suppliers=http://127.0.0.1:8084/near.xml"], layer: 0,
            now: Int64(Date().timeIntervalSince1970))
        let s = try await Self.scenario(key: flow.key.hash, value: .string(flow.draft.value))
        defer { s.close() }
        #expect(s.offered == s.departed, "the scenario: the seed offers the departed nodes for the key")
        let (outcome, _) = await LocalNodeBackend(node: try #require(s.client)).outcome(.getRecord(type: .suppliers, parts: parts))
        #expect(outcome.succeeded, "\(outcome.summary)")
        #expect(outcome.fields["lookups"] == .int(2), "the first lookup met only departed nodes: \(outcome.fields)")
        #expect(([outcome.summary] + outcome.detail).joined(separator: "\n").contains("near.xml"), "\(outcome)")
    }

    @Test func farTargetsLieInTheOtherHalfAndQuarters() throws {
        let key = try KeyArgument("any").id
        let prefixes = LocalNodeBackend.farTargets(from: key).map { $0.commonPrefixLength(with: key) }
        #expect(prefixes == [0, 1, 0])
        #expect(Set(LocalNodeBackend.farTargets(from: key)).count == 3)
    }
}
