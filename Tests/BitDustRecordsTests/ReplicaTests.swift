import Testing
@testable import BitDustRecords

@Suite struct ReplicaTests {
    typealias C = ReplicaComparison.Copy

    @Test func highestRevisionWinsAndDifferencesAreListed() {
        let r = ReplicaComparison([
            C(responder: "n1", value: Fixtures.suppliersRev0Empty), C(responder: "n2", value: Fixtures.suppliersRev1),
            C(responder: "n3", value: Fixtures.suppliersRev1Dave)
        ])
        #expect(r.winner?.responder == "n2")
        #expect(r.bitDustReaderError == nil)
        #expect(r.disagreements.count == 2)
        #expect(r.disagreements[0] == .revisions([0: ["n1"], 1: ["n2", "n3"]]))
        #expect(r.disagreements[0].description == "replicas hold different revisions — revision 1: n2, n3; revision 0: n1")
        #expect(r.disagreements[1] == .content(revision: 1, groups: [["n2"], ["n3"]]))
        #expect(r.disagreements[1].description == "same revision 1 with different content — [n2] vs [n3]")
    }

    @Test func agreementAndTies() {
        let same = ReplicaComparison([C(responder: "a", value: Fixtures.suppliersRev1), C(responder: "b", value: Fixtures.suppliersRev1)])
        #expect(same.agree && same.winnerIndex == 0)
        // Formatting differences are not content differences.
        let reformatted = ReplicaComparison([
            C(responder: "a", value: Fixtures.skipValidation),
            C(responder: "b", value: BitDustJSON.parse(Fixtures.skipValidation)!.serialized())
        ])
        #expect(reformatted.agree)
        // Revision 0 never displaces the first copy (BitDust starts from latest_revision = 0).
        let zeros = ReplicaComparison([C(responder: "a", value: Fixtures.skipValidation), C(responder: "b", value: Fixtures.suppliersRev0Empty)])
        #expect(zeros.winner?.responder == "a")
        // Revision-less copies: higher DHT-level revision wins.
        let dht = ReplicaComparison([C(responder: "a", value: Fixtures.identity), C(responder: "b", value: Fixtures.identity, dhtRevision: 3)])
        #expect(dht.winner?.responder == "b" && dht.agree)
        #expect(ReplicaComparison([]).winner == nil)
    }

    @Test func bitDustReaderWouldFail() {
        let r = ReplicaComparison([C(responder: "a", value: Fixtures.suppliersRev1), C(responder: "b", value: "plain text")])
        #expect(r.bitDustReaderError == "invalid json value found in DHT (from b)")
        #expect(r.winner?.responder == "a")
        #expect(!r.agree)
    }

    @Test func sameContentDifferentKeyOrderAgrees() throws {
        let reordered = "{\"where\":\"14443 only\",\"type\":\"skip_validation\"}"
        let r = ReplicaComparison([C(responder: "a", value: Fixtures.skipValidation), C(responder: "b", value: reordered)])
        #expect(r.agree)
        let view = try #require(r.winnerView(expected: .skipValidation, now: 0))
        #expect(view.isValid && view.type == .skipValidation)
        let broker = "{\"type\":\"message_broker\",\"revision\":2,\"broker_idurl\":\"http://h/b.xml\"}"
        let other = "{\"type\":\"message_broker\",\"revision\":2,\"broker_idurl\":\"http://h/c.xml\"}"
        let m = ReplicaComparison([C(responder: "a", value: broker), C(responder: "b", value: other), C(responder: "c", value: broker)])
        #expect(m.disagreements == [.content(revision: 2, groups: [["a", "c"], ["b"]])])
        #expect(m.winner?.responder == "a")
    }
}
