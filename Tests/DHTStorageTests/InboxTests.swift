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
