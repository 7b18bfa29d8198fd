import Foundation
import DHTCore
import DHTWire
import Testing
@testable import BitDustRecords

/// RecordWriteFlow / RecordWriteOutcome / RecordReadReport: the logic the CLI and the console share.
@Suite struct FlowTests {
    static let alice = "http://127.0.0.1:8084/alice.xml"
    static func peer(_ n: UInt8) -> PeerReply {
        PeerReply(
            id: NodeID(hex: String(repeating: String(format: "%02x", n), count: 20))!,
            endpoint: Endpoint(host: "127.0.0.1", port: 20000 + Int(n))!, rtt: .milliseconds(1))
    }
    static func found(_ value: String, _ n: UInt8) -> FoundValue {
        FoundValue(value: .string(value), expireSeconds: 60, originallyPublished: 0, from: peer(n))
    }

    @Test func splitsPartsFromAssignments() {
        #expect(RecordWriteFlow.split(["a", "1", "x=1", "y"]) == (["a", "1"], ["x=1", "y"]) as ([String], [String]))
        #expect(RecordWriteFlow.split(["k=v=w"]).parts.isEmpty)
        #expect(RecordWriteFlow.split(["=v", "http://h/a.xml?x=1"]).assignments.isEmpty)
    }

    @Test func localRulesAreCheckedBeforeAnyRead() {
        #expect(throws: RecordBuilder.BuildError.self) {
            try RecordWriteFlow(type: .suppliers, parts: [Self.alice], assignments: ["ecc_map=ecc/2x2"], layer: 0, now: 1)
        }
    }

    @Test func nextRevisionComesFromTheHighestCopy() throws {
        let flow = try RecordWriteFlow(
            type: .suppliers, parts: [Self.alice], assignments: ["ecc_map=ecc/2x2", "suppliers="],
            layer: 0, now: 1_700_000_000)
        guard case .store(let built, .store(let key, _, _, 0), let rev) = flow.afterRead(values: [Fixtures.suppliersRev0Empty, Fixtures.suppliersRev1]) else {
            Issue.record("expected a store")
            return
        }
        #expect(rev == 1 && built.revision == 2 && key == flow.key.hash)
        guard case .refused(let e, nil) = flow.afterRead(values: [Fixtures.identity]) else {
            Issue.record("expected a refusal")
            return
        }
        #expect(e.description.contains("new json data type do not match to existing record type"))
        let lookup = LookupSummary(id: LookupID(1), layer: 0, target: flow.key.hash, purpose: .findValue, startedAt: Timestamp(seconds: 0))
        let step = try flow.afterRead(.value(ValueLookupResult(values: [Self.found(Fixtures.suppliersRev1, 2)], lookup: lookup, cachedAt: nil)))
        guard case .store(let b, _, 1) = step else {
            Issue.record("expected a store")
            return
        }
        #expect(b.revision == 2)
    }

    @Test func remoteRefusalsNameTheirRule() {
        #expect(RecordWriteOutcome.rule(for: "new json data must increment revision number, current revision is 5 ") == "revision lower than the stored one")
        #expect(RecordWriteOutcome.rule(for: Fixtures.typeRefusal) == "record type differs from the stored one")
    }

    @Test func readReportKeepsTheHighestRevisionAndListsDisagreements() throws {
        let key = try RecordKey.parse(type: .suppliers, parts: [Self.alice])
        let report = RecordReadReport(
            key: key, layer: 0, values: [Self.found(Fixtures.suppliersRev0Empty, 1), Self.found(Fixtures.suppliersRev1, 2)],
            lookup: nil, now: 1_700_000_100)
        #expect(report.found && report.readable)
        #expect(report.view?.revision == 1)
        #expect(report.replicas.map(\.isWinner) == [false, true])
        #expect(report.replicas[0].revision == 0 && !report.replicas[0].matchesWinner)
        let lines = report.lines()
        #expect(lines.contains { $0.contains("replicas hold different revisions") })
        #expect(lines.contains { $0.contains("revision 1") && $0.contains("[kept]") })
        #expect(report.lines(raw: true).contains("  \"revision\":1,"))
        let empty = RecordReadReport(key: key, layer: 0, values: [], lookup: nil, now: 0)
        #expect(!empty.found && empty.summary == "suppliers record not found")
    }
}
