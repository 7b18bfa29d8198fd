import DHTCore
@testable import DHTStorage
import DHTWire
import Foundation
import Testing

/// The inbox in front of `records` and `published`: appended in order, moved in order (a later
/// delete or put of the same key wins), applied when a database opens, upgraded into a
/// version-2 database, and a row of an unknown kind is dropped rather than trusted.
@Suite struct InboxTests {
    @Test func changesMoveInOrderAndTheLastOfAKeyWins() throws {
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        let replaced = testRecord(1, value: Array("{\"v\":2}".utf8))
        try db.append(batches: [
            [.put(testRecord(1)), .put(testRecord(2)), .put(testRecord(3))],
            [.delete(layer: 0, key: testRecord(2).key), .put(replaced), .putPublished(testRecord(4))],
            [.delete(layer: 0, key: testRecord(3).key), .put(testRecord(3))]
        ])
        #expect(db.inboxRows == 8)
        #expect(try db.recordCount == 0, "nothing reaches the tables before the move")
        #expect(try db.applyInbox() == 8)
        #expect(db.inboxRows == 0)
        #expect(try db.connection.scalarInt64("SELECT count(*) FROM inbox") == 0)
        #expect(try db.loadRecords() == [replaced, testRecord(3)].sorted { $0.key.lexicographicallyPrecedes($1.key) })
        #expect(try db.loadPublished() == [testRecord(4)])
    }

    /// Runs of one kind move as one statement each: generated sequences of puts and deletes over
    /// a few keys (so that runs repeat a key, and runs of every kind follow each other) end in
    /// the tables exactly as the same changes applied one by one to a dictionary.
    @Test(arguments: 1...40) func generatedChangesEndAsAppliedOneByOne(seed: UInt64) throws {
        let rng = SeededRandom(seed: seed)
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        var records: [[UInt8]: StoredRecord] = [:], published: [[UInt8]: StoredRecord] = [:]
        // Some rows already in the tables, so that deletes and replacements meet old rows.
        for n in 0..<4 {
            try db.apply([.put(testRecord(n, value: [UInt8(n)])), .putPublished(testRecord(n, value: [UInt8(n)]))])
            records[testRecord(n).key] = testRecord(n, value: [UInt8(n)])
            published[testRecord(n).key] = testRecord(n, value: [UInt8(n)])
        }
        var batches: [[StorageChange]] = []
        var version: UInt8 = 100
        for _ in 0..<(1 + rng.uniform(6)) {
            var batch: [StorageChange] = []
            // Long stretches of one kind now and then, so that a run holds the same key twice.
            let kind = rng.uniform(4)
            for _ in 0..<(1 + rng.uniform(12)) {
                let n = rng.uniform(6)
                version &+= 1
                let record = testRecord(n, value: [version])
                switch rng.uniform(3) == 0 ? rng.uniform(4) : kind {
                case 0:
                    batch.append(.put(record))
                    records[record.key] = record
                case 1:
                    batch.append(.putPublished(record))
                    published[record.key] = record
                case 2:
                    batch.append(.delete(layer: 0, key: record.key))
                    records[record.key] = nil
                default:
                    batch.append(.deletePublished(layer: 0, key: record.key))
                    published[record.key] = nil
                }
            }
            batches.append(batch)
        }
        try db.append(batches: batches)
        #expect(try db.applyInbox() == batches.reduce(0) { $0 + $1.count })
        #expect(try db.connection.scalarInt64("SELECT count(*) FROM inbox") == 0)
        let byKey = { (a: StoredRecord, b: StoredRecord) in a.key.lexicographicallyPrecedes(b.key) }
        #expect(try db.loadRecords() == records.values.sorted(by: byKey))
        #expect(try db.loadPublished() == published.values.sorted(by: byKey))
    }

    /// What a peer chooses reaches the move as it came: generated keys of 1–256 arbitrary bytes
    /// (NUL and invalid UTF-8 included), values up to 64 KB, publishers or none, and times at
    /// Int64's ends leave the inbox byte for byte, the last put of a key winning.
    @Test(arguments: 1...8) func hostileRowsMoveByteForByte(seed: UInt64) throws {
        let rng = SeededRandom(seed: seed)
        let bytes = { (count: Int) in (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        let extremes: [Int64] = [.min, -1, 0, 1, .max]
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        var keys: [[UInt8]] = (0..<20).map { _ in bytes(1 + rng.uniform(256)) }
        keys.append([0])
        keys.append(Array(repeating: 0xFF, count: 256))
        var expected: [[UInt8]: StoredRecord] = [:]
        var batch: [StorageChange] = []
        for _ in 0..<120 {
            let key = keys[rng.uniform(keys.count)]
            let size = rng.uniform(4) == 0 ? rng.uniform(64 * 1024) : rng.uniform(64)
            let record = StoredRecord(
                layer: 0, key: key, value: .bytes(bytes(size)),
                lastPublished: extremes[rng.uniform(extremes.count)],
                originallyPublished: extremes[rng.uniform(extremes.count)],
                publisher: rng.uniform(2) == 0 ? nil : rng.nodeID(),
                expireSeconds: extremes[rng.uniform(extremes.count)])
            batch.append(.put(record))
            expected[key] = record
        }
        try db.append(batches: [batch])
        #expect(try db.applyInbox() == batch.count)
        let loaded = try db.loadRecords()
        #expect(loaded.count == expected.count)
        for record in loaded { #expect(expected[record.key] == record) }
    }

    @Test func whatACrashLeftInTheInboxIsAppliedAtOpen() throws {
        let dir = TempDir()
        do {
            let db = try NodeDatabase(directory: dir.path)
            try db.append(batches: [[.put(testRecord(5)), .putPublished(testRecord(6))]])
            db.close()  // closed without a move, as a killed writer leaves it
        }
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        #expect(try db.loadRecords() == [testRecord(5)])
        #expect(try db.loadPublished() == [testRecord(6)])
        #expect(try db.connection.scalarInt64("SELECT count(*) FROM inbox") == 0)
    }

    @Test func aRowOfAnUnknownKindIsDroppedAndTheRestApplied() throws {
        let dir = TempDir()
        do {
            let db = try NodeDatabase(directory: dir.path)
            try db.append(batches: [[.put(testRecord(7))]])
            try db.connection.exec("INSERT INTO inbox(op, layer, key) VALUES (99, 0, x'00')")
            try db.append(batches: [[.put(testRecord(8))]])
            db.close()
        }
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        #expect(Set(try db.loadRecords().map(\.key)) == [testRecord(7).key, testRecord(8).key])
        #expect(try db.connection.scalarInt64("SELECT count(*) FROM inbox") == 0)
    }

    @Test func theInboxIsFullByRowsOrByBytes() throws {
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        let big = [UInt8](repeating: 0x61, count: 200 * 1024)
        // The same key rewritten with a large value: few rows, many bytes.
        let rewrites = NodeDatabase.inboxByteLimit / big.count + 1
        for _ in 0..<rewrites - 1 { try db.append(batches: [[.put(testRecord(1, value: big))]]) }
        #expect(!db.inboxIsFull)
        try db.append(batches: [[.put(testRecord(1, value: big))]])
        #expect(db.inboxIsFull)
        #expect(db.inboxBytes >= NodeDatabase.inboxByteLimit && db.inboxRows == rewrites)
        try db.applyInbox()
        #expect(!db.inboxIsFull && db.inboxBytes == 0)
        #expect(try db.recordCount == 1)
        // Many small rows: full by count.
        let small = (0..<NodeDatabase.inboxLimit).map { StorageChange.delete(layer: 0, key: testRecord($0).key) }
        try db.append(batches: [Array(small.dropLast())])
        #expect(!db.inboxIsFull)
        try db.append(batches: [[small.last!]])
        #expect(db.inboxIsFull)
    }

    @Test func aVersionTwoDatabaseGainsTheInboxAndKeepsItsRecords() throws {
        let dir = TempDir()
        do {
            let db = try NodeDatabase(directory: dir.path)
            try db.apply([.put(testRecord(9))])
            try db.connection.exec("DROP TABLE inbox; PRAGMA user_version = 2")
            db.close()
        }
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        #expect(try db.connection.scalarInt64("PRAGMA user_version") == NodeDatabase.schemaVersion)
        #expect(try db.loadRecords() == [testRecord(9)])
        try db.append(batches: [[.put(testRecord(10))]])
        try db.applyInbox()
        #expect(try db.recordCount == 2)
    }
}
