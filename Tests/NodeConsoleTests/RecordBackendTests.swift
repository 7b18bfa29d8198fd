import BitDustRecords
import ConsoleModel
import DHTCore
import DHTRuntime
import LocalNode
import NodeAPI
import NodeConsole
import TestKit
import Testing

/// `set --record` and `get --record` at the prompt run the same flows as the CLI.
@Suite(.timeLimit(.minutes(2)))
struct RecordBackendTests {
    @Test func aRecordWrittenAtThePromptIsReadBackWithTheNextRevision() async throws {
        let nodes = try await Loopback.network(3)
        defer { for n in nodes { n.stop() } }
        let backend = LocalNodeBackend(node: nodes[2])
        let parts = ["http://127.0.0.1:8084/alice.xml"]
        let assignments = ["ecc_map=ecc/2x2", "suppliers=http://127.0.0.1:8084/bob.xml,http://127.0.0.1:8084/carol.xml"]

        let (first, progress) = await backend.outcome(.setRecord(type: .suppliers, parts: parts, assignments: assignments))
        #expect(first.succeeded, "\(first)")
        #expect(progress.first?.hasPrefix("reading the current revision") == true, "\(progress)")

        let (second, _) = await backend.outcome(.setRecord(type: .suppliers, parts: parts, assignments: assignments))
        #expect(second.succeeded, "\(second)")

        let (read, _) = await backend.outcome(.getRecord(type: .suppliers, parts: parts))
        #expect(read.succeeded, "\(read)")
        let text = ([read.summary] + read.detail).joined(separator: "\n")
        #expect(text.contains("suppliers"))
        #expect(text.contains("bob.xml"))
        // The second write took the revision after the first one's from the network.
        let firstRevision = try #require(Self.revision(in: ([first.summary] + first.detail).joined(separator: "\n")))
        let readRevision = try #require(Self.revision(in: text))
        #expect(readRevision == firstRevision + 1, "\(text)")
    }

    @Test func aRecordBreakingItsRulesIsRefusedBeforeAnythingIsSent() async throws {
        let nodes = try await Loopback.network(2)
        defer { for n in nodes { n.stop() } }
        let sentBefore = nodes[1].withEngine { $0.counters.datagramsSent }
        let (outcome, _) = await LocalNodeBackend(node: nodes[1])
            .outcome(.setRecord(type: .suppliers, parts: ["http://127.0.0.1:8084/alice.xml"], assignments: ["ecc_map=ecc/2x2"]))
        #expect(!outcome.succeeded)
        #expect(([outcome.summary] + outcome.detail).joined().contains("\"suppliers\" is required"), "\(outcome)")
        #expect(nodes[1].withEngine { $0.counters.datagramsSent } == sentBefore)
    }

    /// The first `revision N` (or `rev N`) in an outcome's text.
    static func revision(in text: String) -> Int? {
        guard let m = text.firstMatch(of: /rev(?:ision)?[ :]+(\d+)/) else { return nil }
        return Int(m.1)
    }
}
