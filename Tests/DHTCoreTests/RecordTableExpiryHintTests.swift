@testable import DHTCore
import DHTWire
import Testing

/// `RecordTable.expiryHint`, which lets the expiry sweep skip a layer unread: no record the sweep
/// would remove is expired before it, whatever the (hostile) times, and a refresh makes it
/// exact again.
@Suite struct RecordTableExpiryHintTests {
    /// Times as peers may send them: ordinary, at the edges of Int64, and around zero.
    static let hostileTimes: [Int64] = [
        .min, .min + 1, -1_000_000_000_000, -86_400, -1, 0, 1, 300, 43_200, 1_790_000_000, 4_000_000_000,
        .max / 2, .max - 1, .max
    ]

    static func record(_ n: Int, published: Int64, expire: Int64, key: [UInt8]? = nil) -> StoredRecord {
        StoredRecord(
            layer: 0, key: key ?? DHTKey.hash("hint-\(n)").hexUTF8, value: .int(Int64(n)), lastPublished: published,
            originallyPublished: published, publisher: nil, expireSeconds: expire)
    }

    /// Probe times around every record's end and the edges.
    static func probes(_ records: [StoredRecord]) -> [Int64] {
        var out = hostileTimes
        for r in records {
            let end = r.expiresAt
            out += [end &- 1, end, end &+ 1]
        }
        return out
    }

    @Test func noRecordExpiresBeforeTheHint() {
        var random = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var table = RecordTable()
            var held: [StoredRecord] = []
            for n in 0..<Int.random(in: 1...12, using: &random) {
                let r = Self.record(
                    round * 100 + n, published: Self.hostileTimes.randomElement(using: &random)! &+ Int64.random(in: -5...5, using: &random),
                    expire: Self.hostileTimes.randomElement(using: &random)!)
                table.insert(r, valueBytes: 8, host: nil)
                held.append(r)
            }
            // Removals leave the hint a lower bound.
            for r in held.shuffled(using: &random).prefix(Int.random(in: 0...3, using: &random)) {
                table.removeValue(forKey: r.key)
            }
            held = Array(table.values)
            for t in Self.probes(held) where t < table.expiryHint {
                for r in held { #expect(!r.isExpired(at: t), "expired at \(t) before the hint \(table.expiryHint): \(r)") }
            }
            table.refreshExpiryHint()
            #expect(table.expiryHint == held.map(RecordTable.firstExpiredSecond).min() ?? .max)
            // And it is tight: a record whose first expired second is the hint is expired there
            // (but for a lifetime of Int64.max, which `isExpired` never ends, and the ends of Int64).
            if let first = held.min(by: { RecordTable.firstExpiredSecond($0) < RecordTable.firstExpiredSecond($1) }),
                first.expireSeconds < .max, table.expiryHint > .min, table.expiryHint < .max
            {
                #expect(first.isExpired(at: table.expiryHint))
            }
        }
    }

    @Test func nodeStateNeverLowersTheHint() {
        var table = RecordTable()
        table.insert(Self.record(0, published: 0, expire: 10, key: DHTKey.nodeState.hexUTF8), valueBytes: 8, host: nil)
        #expect(table.expiryHint == .max)
        table.insert(Self.record(1, published: 100, expire: 50), valueBytes: 8, host: nil)
        #expect(table.expiryHint == 151)
        table.refreshExpiryHint()
        #expect(table.expiryHint == 151)
        table.removeAll()
        #expect(table.expiryHint == .max)
    }
}
