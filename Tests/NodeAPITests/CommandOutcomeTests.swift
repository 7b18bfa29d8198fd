import DHTCore
import DHTWire
import NodeAPI
import Testing

/// One rendering: the text and the JSON of an outcome come from the same result.
@Suite struct CommandOutcomeTests {
    static let peer = NodeID(hex: String(repeating: "ab", count: 20))!
    static let endpoint = Endpoint(host: "127.0.0.1", port: 4000)!

    static func lookup() -> LookupSummary {
        var s = LookupSummary(id: LookupID(1), layer: 0, target: .zero, purpose: .findValue, startedAt: Timestamp(unixSeconds: 0))
        s.rounds = 2
        s.rpcsSent = 9
        s.responders = 7
        s.timeouts = 1
        s.elapsed = .microseconds(800)
        return s
    }

    static func context() throws -> JSONFields { NodeCommand.get(try KeyArgument("k")).contextFields(layer: 2) }

    @Test func aFoundJSONValueIsJSONInTheOutcomeAndPrettyInTheText() throws {
        let value = FoundValue(
            value: .string("{\"type\":\"x\",\"n\":[1,2]}"), expireSeconds: 600, originallyPublished: 0,
            from: PeerReply(id: Self.peer, endpoint: Self.endpoint, rtt: .zero))
        let o = CommandOutcome(.value(ValueLookupResult(values: [value], lookup: Self.lookup(), cachedAt: nil)), context: try Self.context())
        #expect(o.succeeded)
        #expect(o.summary == "found after 2 rounds, 9 RPCs, 0.8 ms")
        #expect(o.detail.contains("  \"type\": \"x\","))
        let json = o.json
        #expect(json["key"] == .string("k") && json["key_hash"] == .string(DHTKey.hash("k").hex) && json["layer"] == .int(2))
        #expect(json["value"]?["type"] == .string("x"))
        #expect(json["expire_seconds"] == .int(600) && json["from_id"] == .string(Self.peer.hex))
        #expect(json["rounds"] == .int(2) && json["rpcs"] == .int(9) && json["ok"] == .bool(true) && json["error"] == nil)
    }

    @Test func aValueThatIsNotJSONIsAString() throws {
        let value = FoundValue(
            value: .string("plain {text"), expireSeconds: 1, originallyPublished: 0,
            from: PeerReply(id: Self.peer, endpoint: Self.endpoint, rtt: .zero))
        let o = CommandOutcome(.value(ValueLookupResult(values: [value], lookup: Self.lookup(), cachedAt: nil)))
        #expect(o.json["value"] == .string("plain {text"))
        #expect(o.detail.first == "plain {text")
    }

    @Test func aMissingValueFailsWithItsReasonAsTheError() throws {
        let o = CommandOutcome(.value(ValueLookupResult(values: [], lookup: Self.lookup(), cachedAt: nil)), context: try Self.context())
        #expect(!o.succeeded)
        #expect(o.json["found"] == .bool(false) && o.json["ok"] == .bool(false))
        #expect(o.json["error"] == .string(o.summary) && o.summary.hasPrefix("not found after 2 rounds"))
    }

    @Test func storeRepliesAreOneLineAndOneObjectEach() {
        let peer = ContactTriple(id: Self.peer, endpoint: Self.endpoint, layer: 0)
        let summary = StoreSummary(
            replies: [
                StoreReply(peer: peer, outcome: .refused(type: "ValueError", message: "no type")),
                StoreReply(peer: peer, outcome: .timeout)
            ],
            storedLocally: false, lookup: Self.lookup())
        let o = CommandOutcome(.stored(summary))
        #expect(!o.succeeded)
        #expect(o.summary.hasPrefix("stored on 0/2 nodes after ") && o.summary.hasSuffix("; refused: no type"))
        #expect(o.detail == ["refused  127.0.0.1:4000 (abababab): ValueError: no type", "timeout  127.0.0.1:4000 (abababab)"])
        guard case .array(let nodes)? = o.json["nodes"] else {
            Issue.record("no nodes")
            return
        }
        #expect(nodes.map { $0["result"] } == [.string("refused"), .string("timeout")])
        #expect(nodes[0]["reason"] == .string("ValueError: no type"))
        #expect(o.json["stored"] == .int(0))
    }

    @Test func aFailureKeepsItsContext() throws {
        let o = CommandOutcome(.failed(OperationFailure(.timeout, "no answer")), context: try Self.context())
        #expect(o.json.jsonText == #"{"key":"k","key_hash":"\#(DHTKey.hash("k").hex)","layer":2,"failure":"timeout","ok":false,"error":"timeout: no answer"}"#)
        #expect(o.lines() == ["timeout: no answer"])
    }
}
