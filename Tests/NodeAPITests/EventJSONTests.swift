import DHTCore
import DHTWire
import Foundation
import NodeAPI
import Testing

/// `--events` lines: one valid JSON object per event, with the names scripts read.
@Suite struct EventJSONTests {
    static let id = NodeID(hex: String(repeating: "cd", count: 20))!
    static let endpoint = Endpoint(host: "127.0.0.1", port: 5)!

    static func object(_ event: NodeEvent) throws -> [String: Any] {
        let line = EventJSON.line(event, time: Timestamp(unixSeconds: 7))
        #expect(!line.contains("\n"))
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    @Test func eventsCarryTheirTypeTimeAndFields() throws {
        let stored = try Self.object(.valueStored(layer: 2, key: Self.id, keyText: "k\u{1b}", bytes: 10, publisher: Self.id, from: Self.endpoint))
        #expect(stored["type"] as? String == "value_stored" && stored["time"] as? Double == 7)
        #expect(stored["layer"] as? Int == 2 && stored["key"] as? String == "k\u{1b}" && stored["bytes"] as? Int == 10)
        #expect(stored["publisher"] as? String == Self.id.hex && stored["from"] as? String == "127.0.0.1:5")

        var lookup = LookupSummary(id: LookupID(3), layer: 0, target: Self.id, purpose: .findNode, startedAt: Timestamp(unixSeconds: 0))
        lookup.rounds = 2
        lookup.closestCommonPrefix = 12
        let round = try Self.object(.lookupProgressed(lookup))
        #expect(round["type"] as? String == "lookup_round" && round["lookup"] as? Int == 3 && round["round"] as? Int == 2)
        #expect(round["target"] as? String == Self.id.hex && round["closest_common_prefix"] as? Int == 12)
        #expect(round["termination"] == nil)

        let dropped = try Self.object(.datagramDropped(from: Self.endpoint, bytes: 3, reason: .rateLimited))
        #expect(dropped["type"] as? String == "datagram_dropped" && dropped["reason"] as? String == "rate limited")
    }

    @Test func decodingGivesTheEventBackToTheMillisecond() throws {
        var c = Contact(id: Self.id, endpoint: Self.endpoint, seen: Timestamp(nanoseconds: 1_800_000_000_123_456_789))
        c.rtt = .nanoseconds(1_234_567)
        let event = NodeEvent.contactAdded(layer: 1, contact: c, bucket: 3)
        let json = try #require(JSONValue(parsing: EventJSON.line(event, time: Timestamp(nanoseconds: 1_800_000_001_999_600_000))))
        let back = try #require(EventJSON.decode(json))
        #expect(back.time == Timestamp(nanoseconds: 1_800_000_002_000_000_000))
        guard case .contactAdded(1, let got, 3) = back.event else {
            Issue.record("\(back.event)")
            return
        }
        #expect(got.firstSeen == Timestamp(nanoseconds: 1_800_000_000_123_000_000) && got.rtt == .nanoseconds(1_235_000))
    }

    @Test func decodingRefusesWhatIsNotAnEvent() {
        let lines = [
            #"{"type":"bucket_split","time":1e300,"layer":0,"bucket":0,"prefix_length":1}"#,
            #"{"type":"bucket_split","time":1,"layer":1e30,"bucket":0,"prefix_length":1}"#,
            #"{"type":"bucket_split","time":1,"layer":"0","bucket":0,"prefix_length":1}"#,
            #"{"type":"value_served","time":1,"layer":0,"key":"k","to":"1.2.3.4:70000"}"#,
            #"{"type":"layer_state","time":1,"layer":0,"node_id":"zz","state":"joined"}"#,
            #"{"type":"datagram_dropped","time":1,"from":"1.2.3.4:5","bytes":1,"reason_code":"other"}"#,
            #"{"type":"lookup_round","time":1,"lookup":-1,"layer":0}"#,
            #"{"type":"no_such_event","time":1}"#,
            #"[1,2]"#
        ]
        for text in lines {
            let json = JSONValue(parsing: text)
            #expect(json != nil)
            #expect(json.flatMap(EventJSON.decode) == nil, "\(text)")
        }
    }
}
