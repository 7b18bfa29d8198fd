import ConsoleModel
@testable import ConsoleTUI
import DHTCore
import DHTWire
import Testing

/// Records whose times come from the network can hold any Int64: every pane must draw them
/// (issue: the console trapped on an expiry near 2^63 or a JSON "timestamp" of -2^63).
@Suite struct ExtremeValueRenderTests {
    static let boundaries: [Int64] = [.min, .min + 1, -1, 0, 1, 1_700_000_000, Int64(Int32.max), .max - 1, .max]

    static func record(published: Int64, expire: Int64, timestamp: String) -> StoredRecord {
        StoredRecord(
            layer: 0, key: Array("0123456789abcdef0123456789abcdef01234567".utf8),
            value: .string("{\"type\":\"suppliers\",\"timestamp\":\(timestamp),\"revision\":\(timestamp)}"),
            lastPublished: published, originallyPublished: published, publisher: nil, expireSeconds: expire)
    }

    static func state(_ records: [StoredRecord], width: Int, height: Int) -> ConsoleState {
        var st = ConsoleState()
        let snapshot = NodeSnapshot(
            takenAt: Timestamp(seconds: 1_700_000_000),
            layers: [.init(layer: 0, nodeID: NodeID(high: 1, middle: 2, low: 3), state: .attached, buckets: [], records: records)],
            counters: Counters(), pending: [], lookups: [], addressText: "127.0.0.1:14441",
            dataDirectory: "/tmp/x", startedAt: Timestamp(seconds: 1_700_000_000), k: 4)
        _ = st.apply(.snapshot(snapshot))
        _ = st.apply(.tick(Timestamp(seconds: 1_700_000_000)))
        _ = st.apply(.resize(width: width, height: height))
        return st
    }

    @Test func everyBoundaryPublishTimeAndExpiryDraws() {
        var records: [StoredRecord] = []
        for (i, p) in Self.boundaries.enumerated() {
            for (j, e) in Self.boundaries.enumerated() {
                var r = Self.record(published: p, expire: e, timestamp: String(Self.boundaries[(i + j) % Self.boundaries.count]))
                r.key = Array(String(repeating: String(i % 10), count: 20).utf8) + Array(String(repeating: String(j % 10), count: 20).utf8)
                records.append(r)
            }
        }
        for (w, h) in [(80, 24), (200, 50)] {
            var st = Self.state(records, width: w, height: h)
            _ = st.apply(.key(.char("3")))
            #expect(st.focus == .keys)
            // Walk the selection over every row so the record pane decodes each one.
            for _ in 0..<records.count {
                let text = ScreenRenderer.render(st).surface.text
                #expect(text.contains("Stored keys"))
                _ = st.apply(.key(.down))
            }
        }
    }

    @Test(arguments: ["-9223372036854775808", "9223372036854775807", "99999999999999999999999", "-1e308", "1e308", "\"-9223372036854775808\""])
    func hostileJSONTimestampDraws(_ timestamp: String) {
        let r = Self.record(published: 1_700_000_000, expire: 3600, timestamp: timestamp)
        let st = Self.state([r], width: 120, height: 40)
        let text = ScreenRenderer.render(st).surface.text
        #expect(text.contains("0123456789abcdef"))
    }

    @Test func formatSaturatesInsteadOfTrapping() {
        #expect(Format.age(seconds: Format.seconds(from: .min, to: .max)) == ">300y")
        #expect(Format.age(seconds: Format.seconds(from: .max, to: .min)) == "0s")
        #expect(Format.age(seconds: .infinity) == ">300y")
        #expect(Format.age(seconds: .nan) == "-")
        #expect(Format.age(seconds: 61) == "1m01s")
        #expect(Format.fixed(1e20, 1) == "1e+20")
        #expect(Format.fixed(-2.25, 1) == "-2.3" || Format.fixed(-2.25, 1) == "-2.2")
    }
}
