import Testing
@testable import BitDustRecords

@Suite struct RulesTests {
    func violations(_ type: RecordType, _ text: String) -> [String] {
        RecordRules.validate(type: type, json: BitDustJSON.parse(text) ?? .string(text)).map(\.description)
    }

    @Test func capturedValuesPassTheirOwnRules() {
        #expect(violations(.suppliers, Fixtures.suppliersRev1).isEmpty)
        #expect(violations(.suppliers, Fixtures.suppliersRev0Empty).isEmpty)
        #expect(violations(.identity, Fixtures.identity).isEmpty)
        #expect(violations(.skipValidation, Fixtures.skipValidation).isEmpty)
        #expect(violations(.nickname, Fixtures.nicknameOnSuppliersKey).isEmpty)
    }

    @Test func namesTheExactRule() {
        #expect(
            violations(.suppliers, Fixtures.identity) == [
                "\"type\" must equal \"suppliers\" (found \"identity\")",
                "field \"customer_idurl\" is required for suppliers",
                "field \"ecc_map\" is required for suppliers",
                "field \"suppliers\" is required for suppliers",
                "field \"revision\" is required for suppliers"
            ])
        #expect(
            violations(.suppliers, "{\"type\":\"suppliers\",\"key\":\"k\",\"timestamp\":1,\"customer_idurl\":\"c\",\"ecc_map\":\"e\",\"suppliers\":[]}")
                == ["field \"revision\" is required for suppliers"])
        #expect(
            violations(.identity, "{\"type\":\"identity\",\"key\":\"k\",\"timestamp\":1,\"idurl\":\"u\"}") == ["field \"identity\" is required for identity"])
        #expect(
            violations(.messageBroker, "{\"type\":\"message_broker\",\"key\":\"k\",\"timestamp\":1,\"customer_idurl\":\"c\",\"broker_idurl\":\"b\"}")
                == ["field \"position\" is required for message_broker"])
        #expect(
            violations(.nickname, "{\"type\":\"nickname\",\"timestamp\":1,\"idurl\":\"u\",\"nickname\":\"n\",\"position\":\"0\"}")
                == ["field \"key\" is required for nickname"])
        #expect(
            violations(.bismuthIdentityRequest, "{\"type\":\"bismuth_identity_request\",\"timestamp\":1,\"idurl\":\"u\",\"position\":0}")
                == ["field \"public_key\" is required for bismuth_identity_request"])
        #expect(violations(.skipValidation, "{\"where\":1}") == ["\"type\" must equal \"skip_validation\" (field is missing)"])
        #expect(violations(.skipValidation, "{\"type\":true}") == ["\"type\" must equal \"skip_validation\" (found \"True\")"])
        #expect(violations(.nodeState, "{\"type\":\"skip_validation\"}").isEmpty)
        #expect(violations(.suppliers, "[1]") == ["a suppliers record must be a JSON object (found an array)"])
        #expect(violations(.legacyAddress, "1.2.3.4:5").isEmpty)
        // An explicit null satisfies `exist`, as in Python (`field in value`).
        #expect(violations(.identity, "{\"type\":\"identity\",\"key\":null,\"timestamp\":null,\"idurl\":null,\"identity\":null}").isEmpty)
    }

    @Test func updateCheckReproducesReferenceNodeTexts() {
        #expect(RecordUpdateCheck.refusal(new: Fixtures.suppliersRev1, existing: nil) == nil)
        #expect(RecordUpdateCheck.refusal(new: Fixtures.suppliersRev0Empty, existing: Fixtures.suppliersRev1) == Fixtures.revisionRefusal)
        #expect(RecordUpdateCheck.refusal(new: Fixtures.nicknameOnSuppliersKey, existing: Fixtures.suppliersRev1Dave) == Fixtures.typeRefusal)
        #expect(RecordUpdateCheck.refusal(new: Fixtures.plainText, existing: nil) == Fixtures.plainTextRefusal)
        // Same revision, different list: accepted on the wire (#139), flagged as a warning here.
        #expect(RecordUpdateCheck.refusal(new: Fixtures.suppliersRev1Dave, existing: Fixtures.suppliersRev1) == nil)
        #expect(
            RecordUpdateCheck.sameRevisionWarning(new: Fixtures.suppliersRev1Dave, existing: Fixtures.suppliersRev1)
                == "new json data have same revision but different suppliers list, current revision is 1 ")
        #expect(RecordUpdateCheck.refusal(new: "{\"type\":\"suppliers\"}", existing: Fixtures.suppliersRev1) == "new json data must have a revision")
        #expect(RecordUpdateCheck.refusal(new: "{\"a\":1}", existing: nil) == "input data do not have \"type\" field present: {'a': 1}")
        #expect(RecordUpdateCheck.revision(of: Fixtures.suppliersRev1) == 1)
    }
}
