import Testing
@testable import BitDustRecords

/// Expected hashes: the §12 vector, `refclient.py mkkey …` run from /work/main (make_key types),
/// and `dht_service.key_to_hash(…)` from the installed BitDust package for non-make_key strings.
@Suite struct KeyTests {
    func key(_ type: RecordType, _ parts: String...) throws -> RecordKey { try RecordKey.parse(type: type, parts: parts) }

    @Test func everyTypeKeyStringAndHash() throws {
        let cases: [(RecordKey, String, String)] = [
            (
                try key(.suppliers, "http://127.0.0.1:8084/alice.xml"), "suppliers:http://127.0.0.1:8084/alice.xml:0:7",
                "74285c981a32dc7a7397831ec9cb9fe5e75770f6"
            ),
            (try key(.identity, "http://127.0.0.1:8084/alice.xml"), "http://127.0.0.1:8084/alice.xml", Fixtures.identityKeyHash),
            (try key(.identity, "https://id.example.com/bob.xml"), "https://id.example.com/bob.xml", "d0399f77409cccb201da0fd4d7dd8837ff71399b"),
            (
                try key(.messageBroker, "http://127.0.0.1:8084/alice.xml"), "message_broker:http://127.0.0.1:8084/alice.xml0:0:7",
                "56c4ebb41d2827782122bfbc3aaf039814aeb88f"
            ),
            (
                try key(.messageBroker, "http://127.0.0.1:8084/alice.xml", "2"), "message_broker:http://127.0.0.1:8084/alice.xml2:0:7",
                "26671d266db854581fa20283c9ca0e22a22a090a"
            ),
            (try key(.nickname, "bob", "2"), "nickname:bob:2:7", "7920e6a09c2043dcf5f01bdfe0f1addbe63a25f4"),
            (try key(.nickname, "bob"), "nickname:bob:0:7", "82faa3d9e9a2f81eed38c4c3f8b391b67810d27d"),
            (try key(.bismuthIdentityRequest, "472000", "3"), "blockchain_identity:472000:3:7", "69ab7f2e296fe1a5035286516796d7e0f5122f86"),
            (try key(.nodeState), "nodeState", "6aa92f4d894173c3223287e9e7ecd9f9d9fb1241"),
            (try key(.legacyAddress, "http://127.0.0.1:8084/alice.xml"), "alice@127.0.0.1:8084:address", "78cf7e9973e14273e39cf737b1967cae5f3a63f2"),
            (try key(.legacyIncoming, "http://id.example.com:80/alice.xml", "3"), "alice@id.example.com:incoming3", "72d104c0d1cea7121542d4bd1e65b0d7dc4d937b"),
            (
                try key(.customerSupplier, "http://127.0.0.1:8084/alice.xml", "1"), "customer_supplier:alice@127.0.0.1_8084:1:4",
                "57d909199a5876d7279aece25cd0b791ac462222"
            ),
            (
                try key(.customerSupplier, "alice@127.0.0.1_8084", "1", "7"), "customer_supplier:alice@127.0.0.1_8084:1:7",
                "3bf61266c54d6492466f23d6462bbb066ca0c8df"
            )
        ]
        for (k, string, hash) in cases {
            #expect(k.string == string)
            #expect(k.hash.hex == hash, "\(string)")
        }
        #expect(try key(.skipValidation, "demo-key").hash.hex == "4dfad2d5130a5bcaf2716c495de92da13f4389e0")
        #expect(RecordKey.bismuthHour(unixTime: 1_700_000_000) == 472_222)
    }

    @Test func clearErrors() {
        #expect(throws: RecordKeyError.missingPart(type: .suppliers, part: "CUSTOMER_IDURL")) { try RecordKey.parse(type: .suppliers, parts: []) }
        for bad in ["ftp://h/a.xml", "http://h/a.txt", "http:///a.xml", "http://h:99999/a.xml", "http://h", "http://h/dir/a.xml", "http://h o/a.xml"] {
            do {
                _ = try RecordKey.parse(type: .identity, parts: [bad])
                Issue.record("accepted \(bad)")
            } catch {
                guard case .invalidIDURL = error else {
                    Issue.record("wrong error \(error)")
                    continue
                }
                #expect(error.description.contains("http(s)://host[:port]/name.xml"))
            }
        }
        #expect(throws: RecordKeyError.self) { try RecordKey.parse(type: .legacyIncoming, parts: ["http://h/a.xml", "10"]) }
        #expect(throws: RecordKeyError.extraParts(type: .nodeState, extra: ["x"])) { try RecordKey.parse(type: .nodeState, parts: ["x"]) }
        #expect(throws: RecordKeyError.self) { try RecordKey.parse(type: .nickname, parts: ["a:b"]) }
        #expect(throws: RecordKeyError.unknownType("bogus")) { try RecordKey.parse(typeName: "bogus", parts: []) }
        #expect(RecordKeyError.missingPart(type: .nickname, part: "NICK").description.contains("usage: nickname NICK"))
    }

    @Test func typeNamesAndUsage() {
        #expect(RecordType(name: "message-broker") == .messageBroker)
        #expect(RecordType(name: "NodeState") == .nodeState)
        #expect(RecordType(name: "address") == .legacyAddress)
        for t in RecordType.allCases {
            #expect(RecordType(name: t.rawValue) == t)
            #expect(!t.usage.isEmpty)
        }
        #expect(IDURL("http://h:8084/alice.xml")?.globalID == "alice@h_8084")
        #expect(IDURL("http://h:80/alice.xml")?.udpUserID == "alice@h")
    }
}
