import DHTCore
import DHTStorage
import DHTWire
import Foundation
import Testing

@Suite(.serialized) struct DurableWriterTests {
    @Test func tenThousandSubmitsFromFourThreads() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        let total = 10_000, threads = 4
        let tally = Tally(total)
        onThreads(threads) { t in
            for i in stride(from: t, to: total, by: threads) {
                writer.submit([.put(testRecord(i))]) { tally.record(i, $0) }
            }
        }
        writer.flush()
        #expect(tally.snapshot.allSatisfy { $0 == 1 })
        #expect(tally.failures == 0)
        writer.close()
        #expect(tally.snapshot.allSatisfy { $0 == 1 })  // nothing called twice by close()

        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        #expect(try db.recordCount == total)
        let keys = Set(try db.loadRecords().map(\.key))
        #expect(keys == Set((0..<total).map { testRecord($0).key }))
    }

    /// A node gathers a receive batch's stores into one submit: the statistics count the changes
    /// carried, so that changes per commit stays the number of stores per group commit.
    @Test func commitStatisticsCountChangesNotSubmits() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        let tally = Tally(3)
        var next = 0
        for (i, size) in [1, 4, 5].enumerated() {
            writer.submit((next..<(next + size)).map { .put(testRecord($0)) }) { tally.record(i, $0) }
            next += size
        }
        writer.flush()
        #expect(tally.snapshot == [1, 1, 1])
        #expect(tally.failures == 0)
        let (commits, changes) = writer.commitStatistics
        #expect(changes == 10)
        #expect(commits >= 1 && commits <= 3)
        #expect(try writer.perform { (db) throws(StorageError) in try db.recordCount } == 10)
    }

    @Test func committedRowIsVisibleToAnIndependentConnection() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        let record = testRecord(42, publisher: testID(1))
        let done = DispatchSemaphore(value: 0)
        writer.submit([.put(record)]) { result in
            if case .success = result { done.signal() }
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        // A separate SQLite connection, as a restarted process would open, already sees the row
        // (in the inbox, which opening a NodeDatabase moves into `records`).
        let other = try SQLiteConnection(path: dir.databaseFile, flags: [.readOnly])
        defer { other.close() }
        let value = try other.withStatement("SELECT value, publisher FROM inbox WHERE op = 0 AND layer = 0 AND key = ?1") {
            (s) throws(StorageError) -> ([UInt8], [UInt8])? in
            try s.bind(1, blob: record.key)
            return try s.step() ? (s.blob(0), s.blob(1)) : nil
        }
        #expect(value?.0 == record.value.byteString)
        #expect(value?.1 == testID(1).bytes)
    }

    @Test func performReadsAfterPendingWritesAndDeletesApply() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        writer.submit([.put(testRecord(1)), .put(testRecord(2))])
        writer.submit([.delete(layer: 0, key: testRecord(1).key)])
        let records = try writer.perform { (db) throws(StorageError) in try db.loadRecords() }
        #expect(records == [testRecord(2)])
        try writer.perform { (db) throws(StorageError) in try db.setNodeID(testID(8), layer: 0) }
        #expect(try writer.perform { (db) throws(StorageError) in try db.nodeID(layer: 0) } == testID(8))
    }

    @Test func submitAfterCloseFailsOnce() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        writer.close()
        let tally = Tally(1)
        writer.submit([.put(testRecord(1))]) { tally.record(0, $0) }
        #expect(tally.snapshot == [1])
        #expect(tally.failures == 1)
        #expect(throws: StorageError.self) { try writer.perform { (db) throws(StorageError) in try db.recordCount } }
        writer.close()  // twice is fine
        // The directory lock was released.
        let db = try NodeDatabase(directory: dir.path)
        db.close()
    }

    @Test func groupCommitThroughput() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        let submitters = 32, perSubmitter = 1_000
        let tally = Tally(submitters * perSubmitter)
        let start = DispatchTime.now().uptimeNanoseconds
        onThreads(submitters) { t in
            let done = DispatchSemaphore(value: 0)
            for j in 0..<perSubmitter {
                let i = t * perSubmitter + j
                writer.submit([.put(testRecord(i))]) { result in
                    tally.record(i, result)
                    done.signal()
                }
                done.wait()  // each submitter waits for durability, like a store RPC awaiting "OK"
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let total = submitters * perSubmitter
        #expect(tally.failures == 0)
        print(
            "DurableWriter group commit: \(total) durable stores with \(submitters) concurrent submitters in "
                + String(format: "%.2f", seconds) + " s = " + String(format: "%.0f", Double(total) / seconds) + " stores/s")
    }
}
