import Testing
@testable import BitDustRecords

@Suite struct DecoderTests {
    let now: Int64 = 1_700_003_600

    func field(_ v: RecordView, _ label: String) -> String? { v.fields.first { $0.label == label }?.value }

    @Test func capturedSuppliers() {
        let v = RecordDecoder.decode(Fixtures.suppliersRev1, expected: .suppliers, now: now)
        #expect(v.type == .suppliers)
        #expect(v.owner == "http://127.0.0.1:8084/alice.xml")
        #expect(v.revision == 1)
        #expect(v.timestamp == 1_700_000_000)
        #expect(v.age == 3600)
        #expect(v.isValid)
        #expect(field(v, "ecc_map") == "ecc/2x2")
        #expect(field(v, "suppliers") == "2")
        #expect(field(v, "  [1]") == "http://127.0.0.1:8084/carol.xml")
        #expect(v.lines().first == "suppliers  owner http://127.0.0.1:8084/alice.xml  revision 1  timestamp 1700000000 (1h 0m ago)")
        let empty = RecordDecoder.decode(Fixtures.suppliersRev0Empty, now: now)
        #expect(empty.type == .suppliers && empty.revision == 0 && field(empty, "suppliers") == "0")
        #expect(empty.notes.contains("ecc_map ecc/2x2 expects 2 suppliers, list has 0"))
    }

    @Test func capturedIdentityAndWrongType() {
        let v = RecordDecoder.decode(Fixtures.identity, now: now)
        #expect(v.type == .identity && v.isValid && v.owner == "http://127.0.0.1:8084/alice.xml")
        #expect(field(v, "sources") == "(none)")
        #expect(!v.lines().joined().contains("<identity>"))
        let wrong = RecordDecoder.decode(Fixtures.nicknameOnSuppliersKey, expected: .suppliers, now: now)
        #expect(!wrong.isValid)
        #expect(wrong.violations.first?.description == "\"type\" must equal \"suppliers\" (found \"nickname\")")
        #expect(wrong.validityText.hasPrefix("INVALID: \"type\" must equal"))
    }

    @Test func syntheticIdentityXML() throws {
        let value = BitDustJSON.object([
            "type": "identity", "key": "http://127.0.0.1:8084/alice.xml", "timestamp": .int(now),
            "idurl": "http://127.0.0.1:8084/alice.xml", "identity": .string(Fixtures.identityXML)
        ]).serialized()
        let v = RecordDecoder.decode(value, expected: .identity, now: now)
        #expect(v.isValid)
        #expect(field(v, "sources") == "http://127.0.0.1:8084/alice.xml")
        #expect(v.fields.contains(RecordView.Field("", "http://id2.example.com/alice.xml")))
        #expect(field(v, "contacts") == "tcp://127.0.0.1:7771")
        #expect(field(v, "xml revision") == "7")
        let summary = try #require(IdentitySummary.parse(Fixtures.identityXML))
        #expect(summary.contacts.count == 2 && summary.hasSignature && summary.postage == "1")
        let fp = try #require(summary.fingerprint)
        #expect(fp.count == 23 && fp.split(separator: ":").count == 8)
        #expect(field(v, "public key") == "fingerprint \(fp)")
        #expect(!v.lines().joined(separator: "\n").contains("AAAAB3"))
        // sha1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d
        #expect(IdentitySummary.fingerprint(of: "abc") == "a9:99:3e:36:47:06:81:6a")
        #expect(IdentitySummary.parse("<notidentity/>") == nil)
        #expect(IdentitySummary.parse("<identity><sources>") == nil)
    }

    @Test func otherTypes() {
        let mb = RecordDecoder.decode(
            "{\"type\":\"message_broker\",\"key\":\"k\",\"timestamp\":1,\"revision\":3,\"customer_idurl\":\"http://h/a.xml\",\"broker_idurl\":\"http://h/b.xml\",\"position\":0}",
            now: now)
        #expect(mb.type == .messageBroker && mb.isValid && mb.revision == 3 && field(mb, "broker") == "http://h/b.xml")
        let quirk = RecordDecoder.decode(
            "{\"type\":\"nickname\",\"key\":\"nickname:bob:0:7\",\"timestamp\":1,\"idurl\":\"http://h/b.xml\",\"nickname\":\"nickname\",\"position\":\"bob:0:7\"}",
            now: now)
        #expect(quirk.isValid && quirk.owner == "http://h/b.xml")
        #expect(quirk.notes.contains { $0.contains("set_nickname quirk: nick \"bob\", index 0") })
        let bis = RecordDecoder.decode(
            "{\"type\":\"bismuth_identity_request\",\"timestamp\":1,\"idurl\":\"u\",\"public_key\":\"abc\",\"position\":1,\"wallet_address\":\"w\"}", now: now)
        #expect(bis.isValid && field(bis, "public key") == "fingerprint a9:99:3e:36:47:06:81:6a")
        let ns = RecordDecoder.decode(
            "{\"id\":\"4b9e\",\"closestNodes\":[[\"aa\",\"127.0.0.1\",14441,0],[\"bb\",\"127.0.0.1\",14442,0]],\"key\":\"nodeState\",\"type\":\"skip_validation\"}",
            now: now)
        #expect(ns.type == .nodeState && ns.isValid && field(ns, "closestNodes") == "2" && field(ns, "id") == "4b9e")
        let skip = RecordDecoder.decode(Fixtures.skipValidation, now: now)
        #expect(skip.type == .skipValidation && field(skip, "where") == "14443 only")
        let unknown = RecordDecoder.decode("{\"type\":\"zzz\",\"a\":[1,2]}", now: now)
        #expect(unknown.type == nil && unknown.kind == "unknown JSON" && field(unknown, "a") == "[1, 2]")
    }

    @Test func legacyValues() {
        let a = RecordDecoder.decode("1.2.3.4:7771", expected: .legacyAddress, now: now)
        #expect(a.type == .legacyAddress && field(a, "address") == "1.2.3.4:7771")
        let q = RecordDecoder.decode("b'1.2.3.4':7771", now: now)
        #expect(q.type == .legacyAddress && field(q, "address") == "1.2.3.4:7771")
        #expect(q.notes.contains { $0.contains("b'…':port") })
        let inc = RecordDecoder.decode("bob@h:8084 10.0.0.2:9000 1700000000.25\n", now: now)
        #expect(inc.type == .legacyIncoming && inc.timestamp == 1_700_000_000 && inc.age == 3600)
        #expect(field(inc, "connecting") == "bob@h:8084 from 10.0.0.2:9000 at 1700000000 (1h 0m ago)")
        let text = RecordDecoder.decode(Fixtures.plainText, expected: .suppliers, now: now)
        #expect(text.kind == "text" && text.violations.first?.description == "a suppliers record must be a JSON object (found text that is not JSON)")
        let bin = RecordDecoder.decode([0xff, 0x00, 0x1b], now: now)
        #expect(bin.kind == "binary" && field(bin, "hex") == "ff001b")
        #expect(RecordView.formatAge(-600) == "in 10m")
        #expect(RecordView.formatAge(2 * 86400 + 3600 * 4) == "2d 4h ago")
    }
}
