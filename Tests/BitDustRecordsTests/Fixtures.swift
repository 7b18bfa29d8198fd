// Real values from /work/shared/spec/captures/session-records.jsonl (BitDust 0.1.24.265 wire
// traffic, datagram numbers noted) and session-basic.jsonl.
enum Fixtures {
    /// session-records #85: suppliers revision 1, written by BitDust's set_valid_data.
    static let suppliersRev1 =
        "{\n\"customer_idurl\":\"http://127.0.0.1:8084/alice.xml\",\n\"ecc_map\":\"ecc/2x2\",\n\"key\":\"suppliers:http://127.0.0.1:8084/alice.xml:0:7\",\n\"publisher_idurl\":null,\n\"revision\":1,\n\"suppliers\":[\n\"http://127.0.0.1:8084/bob.xml\",\n\"http://127.0.0.1:8084/carol.xml\"\n],\n\"timestamp\":1700000000,\n\"type\":\"suppliers\"\n}"
    /// session-records #139: same revision 1, different list (accepted by the nodes).
    static let suppliersRev1Dave =
        "{\n\"customer_idurl\":\"http://127.0.0.1:8084/alice.xml\",\n\"ecc_map\":\"ecc/2x2\",\n\"key\":\"suppliers:http://127.0.0.1:8084/alice.xml:0:7\",\n\"revision\":1,\n\"suppliers\":[\n\"http://127.0.0.1:8084/dave.xml\",\n\"http://127.0.0.1:8084/carol.xml\"\n],\n\"timestamp\":1700000001,\n\"type\":\"suppliers\"\n}"
    /// session-records #181: revision 0 after revision 1 — refused (#185).
    static let suppliersRev0Empty =
        "{\n\"customer_idurl\":\"http://127.0.0.1:8084/alice.xml\",\n\"ecc_map\":\"ecc/2x2\",\n\"key\":\"suppliers:http://127.0.0.1:8084/alice.xml:0:7\",\n\"revision\":0,\n\"suppliers\":[],\n\"timestamp\":1700000001,\n\"type\":\"suppliers\"\n}"
    /// session-records #185 error text.
    static let revisionRefusal = "new json data must increment revision number, current revision is 1 "
    /// session-records #233: a nickname record stored under the suppliers key — refused (#237).
    static let nicknameOnSuppliersKey =
        "{\n\"idurl\":\"x\",\n\"key\":\"suppliers:http://127.0.0.1:8084/alice.xml:0:7\",\n\"nickname\":\"n\",\n\"position\":\"0\",\n\"timestamp\":1,\n\"type\":\"nickname\"\n}"
    /// session-records #237 error text (repr of the existing #139 record as jsn.loads decoded it).
    static let typeRefusal =
        "new json data type do not match to existing record type: {'customer_idurl': b'http://127.0.0.1:8084/alice.xml', 'ecc_map': b'ecc/2x2', 'key': b'suppliers:http://127.0.0.1:8084/alice.xml:0:7', 'revision': 1, 'suppliers': ['http://127.0.0.1:8084/dave.xml', 'http://127.0.0.1:8084/carol.xml'], 'timestamp': 1700000001, 'type': b'suppliers'}"
    /// session-records #269: identity record (placeholder XML) under key sha1(IDURL).
    static let identity =
        "{\n\"identity\":\"<identity>...</identity>\",\n\"idurl\":\"http://127.0.0.1:8084/alice.xml\",\n\"key\":\"http://127.0.0.1:8084/alice.xml\",\n\"timestamp\":1700000000,\n\"type\":\"identity\"\n}"
    static let identityKeyHash = "982451052e586e8d5ff34a7045b9a478b354f5bc"
    /// session-records #21: a compact skip_validation value (not written by set_valid_data).
    static let skipValidation = "{\"type\":\"skip_validation\",\"where\":\"14443 only\"}"
    /// session-basic #51 and its error #52.
    static let plainText = "plain text"
    static let plainTextRefusal = "input data is not a json value: 'plain text'"

    static let allCaptured = [suppliersRev1, suppliersRev1Dave, suppliersRev0Empty, nicknameOnSuppliersKey, identity, skipValidation, plainText]

    /// Synthetic identity XML shaped like userid/identity.py's serialize().
    static let identityXML = """
        <?xml version="1.0" encoding="utf-8"?>
        <identity>
          <sources>
            <source>http://127.0.0.1:8084/alice.xml</source>
            <source>http://id2.example.com/alice.xml</source>
          </sources>
          <contacts>
            <contact>tcp://127.0.0.1:7771</contact>
            <contact>udp://alice@127.0.0.1:8882</contact>
          </contacts>
          <certificates/>
          <scrubbers/>
          <postage>1</postage>
          <date>Nov 24, 2025</date>
          <version>0.1.24</version>
          <revision>7</revision>
          <publickey>ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 alice</publickey>
          <signature>123456789</signature>
        </identity>
        """
}
