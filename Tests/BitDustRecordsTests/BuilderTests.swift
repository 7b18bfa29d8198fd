import Testing
@testable import BitDustRecords

@Suite struct BuilderTests {
    let alice = "http://127.0.0.1:8084/alice.xml"

    @Test func reproducesCapturedSuppliersWrite() throws {
        // Same inputs as the reference client's setrec that produced session-records #85.
        let built = try RecordBuilder.build(
            type: .suppliers, parts: [alice],
            assignments: ["ecc_map=ecc/2x2", "suppliers=http://127.0.0.1:8084/bob.xml,http://127.0.0.1:8084/carol.xml", "timestamp=1700000000"],
            now: 1_800_000_000, networkRevision: 0)
        #expect(built.value == Fixtures.suppliersRev1)
        #expect(built.key.hash.hex == "74285c981a32dc7a7397831ec9cb9fe5e75770f6")
        #expect(built.revision == 1)
    }

    @Test func revisionAndTimestamp() throws {
        let first = try RecordBuilder.build(type: .suppliers, parts: [alice], assignments: ["ecc_map=ecc/2x2", "suppliers="], now: 42)
        #expect(first.json["revision"] == .int(0))
        #expect(first.json["timestamp"] == .int(42))
        #expect(first.json["suppliers"] == .array([]))
        #expect(first.json["publisher_idurl"] == .null)
        let next = try RecordBuilder.build(
            type: .suppliers, parts: [alice], assignments: ["ecc_map=ecc/2x2", "suppliers=[]"],
            now: 42, networkRevision: 5, existingValue: Fixtures.suppliersRev1)
        #expect(next.revision == 6)
        #expect(throws: RecordBuilder.BuildError.refusedByNetworkRule("new json data must increment revision number, current revision is 5 ")) {
            try RecordBuilder.build(type: .suppliers, parts: [alice], assignments: ["ecc_map=e", "suppliers=a", "revision=4"], now: 1, networkRevision: 5)
        }
    }

    @Test func refusesBrokenRulesBeforeSending() {
        do {
            _ = try RecordBuilder.build(type: .suppliers, parts: [alice], assignments: ["suppliers=a,b"], now: 1)
            Issue.record("built without ecc_map")
        } catch {
            #expect(error.description == "refused before sending: field \"ecc_map\" is required for suppliers")
        }
        #expect(throws: RecordBuilder.BuildError.rules([RuleViolation(field: "identity", type: "identity", kind: .missing)])) {
            try RecordBuilder.build(type: .identity, parts: [alice], assignments: [], now: 1)
        }
        #expect(throws: RecordBuilder.BuildError.self) { try RecordBuilder.build(type: .legacyAddress, parts: [alice], assignments: [], now: 1) }
        #expect(throws: RecordBuilder.BuildError.badAssignment("oops")) {
            try RecordBuilder.build(type: .skipValidation, parts: ["k"], assignments: ["oops"], now: 1)
        }
        #expect(throws: RecordBuilder.BuildError.key(.invalidIDURL("alice", "must start with http:// or https://"))) {
            try RecordBuilder.build(type: .suppliers, parts: ["alice"], assignments: [], now: 1)
        }
        // A reference node holding a suppliers record refuses another type (session-records #237).
        do {
            _ = try RecordBuilder.build(
                type: .skipValidation, parts: ["suppliers:\(alice):0:7"], assignments: [], now: 1, existingValue: Fixtures.suppliersRev1Dave)
            Issue.record("type change not refused")
        } catch {
            guard case .refusedByNetworkRule(let text) = error else {
                Issue.record("\(error)")
                return
            }
            #expect(text == Fixtures.typeRefusal)
        }
    }

    @Test func nicknameQuirkOption() throws {
        let intended = try RecordBuilder.build(type: .nickname, parts: ["bob", "1"], assignments: ["idurl=http://h/bob.xml"], now: 5)
        #expect(intended.json["nickname"] == "bob" && intended.json["position"] == "1")
        let quirk = try RecordBuilder.build(type: .nickname, parts: ["bob", "1"], assignments: ["idurl=http://h/bob.xml"], now: 5, nickname: .bitdust)
        #expect(
            quirk.value
                == "{\n\"idurl\":\"http://h/bob.xml\",\n\"key\":\"nickname:bob:1:7\",\n\"nickname\":\"nickname\",\n\"position\":\"bob:1:7\",\n\"timestamp\":5,\n\"type\":\"nickname\"\n}"
        )
    }

    @Test func otherTypesAndValueParsing() throws {
        let mb = try RecordBuilder.build(type: .messageBroker, parts: [alice, "2"], assignments: ["broker_idurl=http://h/b.xml"], now: 9)
        #expect(mb.json["position"] == .int(2) && mb.json["revision"] == .int(0) && mb.key.string.hasSuffix("alice.xml2:0:7"))
        let bis = try RecordBuilder.build(
            type: .bismuthIdentityRequest, parts: ["472000", "3"],
            assignments: ["idurl=http://h/b.xml", "public_key=ssh-rsa AAA", "wallet_address=w"], now: 9)
        #expect(bis.json["key"] == "blockchain_identity:472000:3:7" && bis.json["position"] == .int(3))
        let a = try RecordBuilder.parseAssignments(["n=5", "s=\"5\"", "b=true", "t=hello world", "o={\"x\":[1]}", "u=é"])
        #expect(a == ["n": 5, "s": "5", "b": true, "t": "hello world", "o": ["x": [1]], "u": "é"])
        let u = try RecordBuilder.build(type: .skipValidation, parts: ["k"], assignments: ["note=h\u{e9}\u{1F600}"], now: 1)
        #expect(u.value.contains("\"note\":\"h\\u00e9\\ud83d\\ude00\""))
    }
}
