import Testing
import DHTWire

/// The hand-picked vectors of docs/protocol.md §17, embedded so they do not depend on the corpus files.
@Suite struct VectorTests {
    static let v1 = Hex.bytes(
        """
        000001000066613139396639316664363961313965316536336439393331616337383334336465653663333732006469
        306569306569316534303a66613139396639316664363961313965316536336439393331616337383334336465653663
        33373269326534303a366137653062353839306137396430396666656566616663336631323732376562623432396238
        30693365343a70696e676934656c6569356569306565
        """)
    static let v2 = Hex.bytes(
        """
        000001000066613139396639316664363961313965316536336439393331616337383334336465653663333732006469
        306569316569316534303a66613139396639316664363961313965316536336439393331616337383334336465653663
        33373269326534303a346239656335613238623463613235313234663161393633323632306133653465316162343639
        36693365343a706f6e6769356569306565
        """)
    static let v4 = Hex.bytes(
        """
        000001000035636662336365666165363039343162343463396366383934303861653431636565346266376339006469
        306569316569316534303a35636662336365666165363039343162343463396366383934303861653431636565346266
        37633969326534303a346239656335613238623463613235313234663161393633323632306133653465316162343639
        366933656c6c34303a616538396434393964643262396636363438396639376135643534373265326339326133373138
        64393a3132372e302e302e3169313434343365693065656c34303a303063333131636266393766343236323839373862
        61313632393430396633333039356237373162393a3132372e302e302e3169313434343465693065656c34303a353935
        32313832396539613064626135663030383963306136623631663432363332343464383637393a3132372e302e302e31
        69313434343265693065656c34303a366437396237386230343531663132313537633536613165663738663262356239
        37346535353232393a3132372e302e302e3169313434343565693065656569356569306565
        """)
    static let v8 = Hex.bytes(
        """
        000001000061396237303865616235303132313562633136353063333331343232613731623238653361626361006469
        306569316569316534303a61396237303865616235303132313562633136353063333331343232613731623238653361
        62636169326534303a346239656335613238623463613235313234663161393633323632306133653465316162343639
        366933656431333a6578706972655365636f6e64736934333230306531393a6f726967696e616c6c795075626c697368
        656469313739353535393336336534303a34333333346436613134336132663034663637656664326564666333636463
        62636535653932386533323a7b2274797065223a22736b69705f76616c69646174696f6e222c226e223a317d65693565
        69306565
        """)
    static let v14 = Hex.bytes(
        """
        000001000038396562663565613762613364663233356130323438326235386539303765653734363765313336006469
        306569316569316534303a38396562663565613762613364663233356130323438326235386539303765653734363765
        31333669326534303a346239656335613238623463613235313234663161393633323632306133653465316162343639
        3669336564353a696475726c33313a687474703a2f2f3132372e302e302e313a383038342f616c6963652e786d6c6930
        656930656569356569306565
        """)
    static let v17 = Hex.bytes(
        """
        6469306569306569316534303a6233656138306661396134633363656464623934333462376136663331323139356533
        613533663869326534303a36393532393434363965363131363461643063663036383331616462646534396461646438
        303436693365343a70696e676934656c6569356569306565
        """)
    static let v24 = Hex.bytes(
        """
        000001000030616161666264666462346337663630613732633161356162333031626465316665376633623266006469
        306569306569316534303a30616161666264666462346337663630613732633161356162333031626465316665376633
        62326669326534303a633239643566333132373538323166326231396439623364303038656666656532313939303965
        30693365353a73746f72656934656c34303a366132643137383436666233653063346234323464613132653538343166
        3037313136303230663034373a7b2274797065223a22736b69705f76616c69646174696f6e222c227768657265223a22
        3134343433206f6e6c79227d693065693065693433323030656569356569306565
        """)

    static func id(_ hex: String) -> NodeID { NodeID(hex: hex)! }

    /// Classifies a framed single datagram and decodes its message.
    static func decodeFramed(_ datagram: [UInt8]) throws -> (FrameHeader, WireMessage) {
        guard case .framed(let header, let payload) = Framing.classify(datagram) else {
            throw DecodeError(.unexpectedByte, at: 0)
        }
        return (header, try MessageCodec.decode(Array(payload)))
    }

    @Test func v1PingRequest() throws {
        let (header, m) = try Self.decodeFramed(Self.v1)
        #expect(header == FrameHeader(total: 1, seq: 0, rpcID: Self.id("fa199f91fd69a19e1e63d9931ac78343dee6c372")))
        #expect(
            m
                == WireMessage(
                    rpcID: Self.id("fa199f91fd69a19e1e63d9931ac78343dee6c372"),
                    sender: Self.id("6a7e0b5890a79d09ffeefafc3f12727ebb429b80"),
                    layer: 0, body: .request(method: "ping", args: [])))
        #expect(try MessageCodec.datagrams(for: m) == [Self.v1])
    }

    @Test func v2PingResponse() throws {
        let (_, m) = try Self.decodeFramed(Self.v2)
        #expect(m.body == .response("pong"))
        #expect(m.sender == Self.id("4b9ec5a28b4ca25124f1a9632620a3e4e1ab4696"))
        #expect(try MessageCodec.datagrams(for: m) == [Self.v2])
    }

    @Test func v4ContactListResponse() throws {
        let (_, m) = try Self.decodeFramed(Self.v4)
        guard case .response(.list(let contacts)) = m.body else {
            Issue.record("not a list")
            return
        }
        #expect(contacts.count == 4)
        #expect(contacts[0] == ["ae89d499dd2b9f66489f97a5d5472e2c92a3718d", "127.0.0.1", 14443, 0])
        #expect(try MessageCodec.datagrams(for: m) == [Self.v4])
    }

    @Test func v8DictEntriesSortByEncodedKey() throws {
        let (_, m) = try Self.decodeFramed(Self.v8)
        let key = "43334d6a143a2f04f67efd2edfc3cdcbce5e928e"
        #expect(
            m.body
                == .response(
                    .dict([
                        "expireSeconds": 43200, "originallyPublished": 1_795_559_363, .string(key): #"{"type":"skip_validation","n":1}"#
                    ])))
        // "13:expireSeconds" < "19:originallyPublished" < "40:<key>" as raw bytes.
        let result = Bencode.encode(.dict(["originallyPublished": 1, .string(key): "", "expireSeconds": 2]))
        #expect(result == Array("d13:expireSecondsi2e19:originallyPublishedi1e40:\(key)0:e".utf8))
        #expect(try MessageCodec.datagrams(for: m) == [Self.v8])
    }

    @Test func v14MixedIntAndStringKeys() throws {
        let (_, m) = try Self.decodeFramed(Self.v14)
        #expect(m.body == .response(.dict(["idurl": "http://127.0.0.1:8084/alice.xml", 0: 0])))
        // A string key sorts before an integer key: a digit sorts before 'i'.
        #expect(Bencode.encode(.dict([0: 0, "idurl": "x"])) == Array("d5:idurl1:xi0ei0ee".utf8))
        #expect(try MessageCodec.datagrams(for: m) == [Self.v14])
    }

    @Test func v17UnframedRequestIsAccepted() throws {
        guard case .unframed(let bytes) = Framing.classify(Self.v17) else {
            Issue.record("framed?")
            return
        }
        let m = try MessageCodec.decode(bytes)
        #expect(m.body == .request(method: "ping", args: []))
        #expect(m.rpcID == Self.id("b3ea80fa9a4c3ceddb9434b7a6f312195e3a53f8"))
        #expect(MessageCodec.encode(m) == Self.v17)
        // Our answer is always framed.
        let reply = WireMessage(rpcID: m.rpcID, sender: .zero, layer: 0, body: .response("pong"))
        let out = try MessageCodec.datagrams(for: reply)
        #expect(out.count == 1 && out[0][0] == 0 && out[0][45] == 0)
    }

    @Test func v24NonePublisherTravelsAsZero() throws {
        let (_, m) = try Self.decodeFramed(Self.v24)
        guard case .request("store", let args) = m.body else {
            Issue.record("not a store")
            return
        }
        #expect(args.count == 5)
        #expect(args[2] == .none && args[3] == 0 && args[4] == 43200)
        #expect(try MessageCodec.datagrams(for: m) == [Self.v24])
    }

    @Test func v21EmptyPayloadIsEmpty() throws {
        let v21 = Hex.bytes("00000100006364616364303938306333616266636461306330636161363430633938376539343764356164316300")
        guard case .framed(let header, let payload) = Framing.classify(v21) else {
            Issue.record("not framed")
            return
        }
        #expect(header.total == 1 && payload.isEmpty)
        #expect(throws: DecodeError(.empty, at: 0)) { try MessageCodec.decode(Array(payload)) }
    }

    @Test func questionAndErrorEnvelopes() throws {
        let q = WireMessage(rpcID: .max, sender: .zero, layer: 3, body: .question(method: "ping", args: []))
        let e = WireMessage(
            rpcID: .max, sender: .zero, layer: 0,
            body: .error(type: "builtins.ValueError", message: "bad"))
        for m in [q, e] { #expect(try MessageCodec.decode(MessageCodec.encode(m)) == m) }
        let text = String(decoding: MessageCodec.encode(e), as: UTF8.self)
        #expect(text.hasPrefix("di0ei2ei1e40:ffff"))
        #expect(text.hasSuffix("i3e19:builtins.ValueErrori4e3:badi5ei0ee"))
    }
}
