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
}
