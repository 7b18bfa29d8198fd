import BitDustRecords
import ConsoleModel
import DHTCore
import DHTWire
import Testing

/// The console's record commands and the decoded keys/record panes.
@Suite struct RecordConsoleTests {
    static let alice = "http://127.0.0.1:8084/alice.xml"
    static let suppliers =
        "{\n\"customer_idurl\":\"http://127.0.0.1:8084/alice.xml\",\n\"ecc_map\":\"ecc/2x2\",\n\"key\":\"suppliers:http://127.0.0.1:8084/alice.xml:0:7\",\n\"revision\":3,\n\"suppliers\":[],\n\"timestamp\":1700000000,\n\"type\":\"suppliers\"\n}"

    @Test func parsesRecordCommands() throws {
        #expect(try CommandParser.parse("get --record suppliers \(Self.alice)").get() == .node(.getRecord(type: .suppliers, parts: [Self.alice])))
        #expect(
            try CommandParser.parse("set --record message-broker \(Self.alice) 2 broker_idurl=x 'note=a b'").get()
                == .node(.setRecord(type: .messageBroker, parts: [Self.alice, "2"], assignments: ["broker_idurl=x", "note=a b"])))
        #expect(try CommandParser.parse("get --record nodeState").get() == .node(.getRecord(type: .nodeState, parts: [])))
        #expect(PromptCommand.node(.setRecord(type: .nickname, parts: ["a"], assignments: [])).writes)
        #expect(!PromptCommand.node(.getRecord(type: .nickname, parts: ["a"])).writes)
    }

    @Test func badRecordCommandsSayWhy() {
        func failure(_ line: String) -> String {
            if case .failure(let f) = CommandParser.parse(line) { return f.message }
            return ""
        }
        #expect(failure("get --record suppliers").contains("usage: suppliers CUSTOMER_IDURL"))
        #expect(failure("get --record bogus x").hasPrefix("unknown record type 'bogus'"))
        #expect(failure("set --record suppliers nope ecc_map=x").contains("usage: suppliers CUSTOMER_IDURL"))
        #expect(failure("set --record address \(Self.alice)").contains("cannot be written"))
        #expect(failure("set --record suppliers \(Self.alice) a=1 loose").contains("bad assignment"))
    }

    @Test func keysPaneShowsTheRecordAtAGlance() throws {
        let record = StoredRecord(
            layer: 0, key: Array("74285c981a32dc7a7397831ec9cb9fe5e75770f6".utf8), value: .string(Self.suppliers),
            lastPublished: 0, originallyPublished: 0, publisher: nil, expireSeconds: 60)
        let e = KeysPane.Entry(record)
        let g = try #require(e.glance)
        #expect(g.kind == "suppliers" && g.owner == Self.alice && g.revision == 3 && g.isValid && g.validityMark == "ok")
        #expect(g.freshness(now: 1_700_000_300) == Format.age(seconds: 300))
        let bad = try #require(RecordGlance(.string("{\"type\":\"nickname\",\"key\":\"k\"}")))
        #expect(bad.validityMark == "BAD" && bad.validity.contains("required for nickname"))
        #expect(RecordGlance(.string("plain text"))?.validityMark == "-")
    }

    @Test func recordPaneTogglesRawAndDecoded() throws {
        let record = StoredRecord(
            layer: 0, key: Array("k".utf8), value: .string(Self.suppliers),
            lastPublished: 0, originallyPublished: 0, publisher: nil, expireSeconds: 60)
        var pane = RecordPane()
        let decoded = pane.content(selected: KeysPane.Entry(record), now: 1_700_000_060)
        #expect(decoded.mode == "decoded")
        #expect(decoded.lines.first?.hasPrefix("suppliers  owner \(Self.alice)  revision 3") == true)
        pane.showRaw = true
        let raw = pane.content(selected: KeysPane.Entry(record), now: 0)
        #expect(raw.mode == "raw" && raw.lines.contains { $0.contains("\"ecc_map\"") })
        pane.show(title: "get --record", lines: ["decoded"], raw: ["raw"])
        #expect(pane.content(selected: nil, now: 0).lines == ["raw"])
        pane.showRaw = false
        #expect(pane.content(selected: nil, now: 0).lines == ["decoded"])
    }

    @Test func recordOutcomesReadAtThePrompt() throws {
        let key = try RecordKey.parse(type: .suppliers, parts: [Self.alice])
        let from = PeerReply(id: NodeID(hex: String(repeating: "ab", count: 20))!, endpoint: Endpoint(host: "127.0.0.1", port: 1)!, rtt: .zero)
        let report = RecordReadReport(
            key: key, layer: 0,
            values: [
                FoundValue(
                    value: .string(Self.suppliers), expireSeconds: 1,
                    originallyPublished: 0, from: from)
            ], lookup: nil, now: 1_700_000_000)
        let o = CommandOutcome(recordRead: report)
        #expect(o.succeeded && o.summary.hasPrefix("suppliers revision 3, valid, 1 replica"))
        #expect(o.rawDetail != nil && o.detail != o.rawDetail)
        let refused = CommandOutcome(recordRefused: .rules([]), networkRevision: 4)
        #expect(!refused.succeeded && refused.detail == ["the network holds revision 4"])
    }
}
