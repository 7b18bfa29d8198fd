import DHTCore
@testable import DHTStorage
import DHTWire
import Foundation
import Testing

/// The writer acknowledges a store only after an fdatasync of the write-ahead log that started
/// after its commit: what a crash leaves on disk (the files as they are, without a clean close)
/// holds every acknowledged store; a torn last frame loses only the commit it tears; a log that
/// cannot be synced acknowledges nothing, then or later. One fdatasync is in flight at a time: a
/// submit that arrives after a cycle took its batch (while it commits or syncs) is committed and
/// acknowledged only after the NEXT fdatasync, which covers everything that arrived meanwhile.
@Suite(.serialized) struct PipelinedSyncTests {
    /// Copies the database and its log as they are now, as a crash would leave them.
    private func crashCopy(_ dir: TempDir) throws -> TempDir {
        let copy = TempDir()
        try FileManager.default.createDirectory(atPath: copy.path, withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(atPath: dir.databaseFile + suffix, toPath: copy.databaseFile + suffix)
        }
        return copy
    }

    @Test func everyAcknowledgedStoreIsInTheFilesLeftWithoutAClose() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        let total = 3_000
        let tally = Tally(total)
        onThreads(8) { t in
            for i in stride(from: t, to: total, by: 8) {
                writer.submit([.put(testRecord(i))]) { tally.record(i, $0) }
            }
        }
        writer.flush()
        #expect(tally.snapshot.allSatisfy { $0 == 1 })
        #expect(tally.failures == 0)
        // The files as they are while the writer is still open and idle (the stores still in its
        // inbox, no checkpoint at close), as kill -9 would leave them.
        let copy = try crashCopy(dir)
        let db = try NodeDatabase(directory: copy.path)
        defer { db.close() }
        #expect(Set(try db.loadRecords().map(\.key)) == Set((0..<total).map { testRecord($0).key }))
        let (commits, submits) = writer.commitStatistics
        #expect(submits == total)
        #expect(commits >= 1 && commits <= total)
        let syncs = writer.syncCount
        #expect(syncs >= 1 && syncs <= commits)
    }

    @Test func aTornLastFrameLosesOnlyItsOwnCommit() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        writer.submit((0..<20).map { .put(testRecord($0)) })
        writer.flush()
        writer.submit([.put(testRecord(100))])
        writer.flush()
        let copy = try crashCopy(dir)
        let wal = copy.databaseFile + "-wal"
        // Where the frames end (the log may be longer: an older generation's frames after them).
        let end = try endOfFrames(wal)
        #expect(end > 32 + 24 + 4096, "the last commit is still in the log: it ends at \(end)")
        // Tear the last frame (the commit frame of record 100) and leave garbage after it.
        let handle = try #require(FileHandle(forUpdatingAtPath: wal))
        try handle.truncate(atOffset: UInt64(end - 1000))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data((0..<777).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 5) }))
        try handle.close()

        let db = try NodeDatabase(directory: copy.path)
        defer { db.close() }
        let keys = Set(try db.loadRecords().map(\.key))
        #expect(keys == Set((0..<20).map { testRecord($0).key }))
        // The reopened database takes new writes after the torn tail.
        try db.apply([.put(testRecord(101))])
        #expect(try db.recordCount == 21)
    }

    @Test func aHoldForSubmittersThatDoNotComeBackEndsAndTheStoreIsAcknowledged() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        // A group of 20 answered: the writer then holds for 20 more that never come.
        let first = DispatchSemaphore(value: 0)
        let tally = Tally(21)
        writer.submit((0..<20).map { .put(testRecord($0)) }) {
            tally.record(0, $0)
            first.signal()
        }
        #expect(first.wait(timeout: .now() + 60) == .success)
        for round in 1...20 {
            // One store at a time, each awaited like a store RPC: every hold ends by its limit.
            let done = DispatchSemaphore(value: 0)
            writer.submit([.put(testRecord(100 + round))]) {
                tally.record(round, $0)
                done.signal()
            }
            #expect(done.wait(timeout: .now() + 60) == .success, "store \(round) was acknowledged")
        }
        #expect(tally.snapshot.allSatisfy { $0 == 1 })
        #expect(tally.failures == 0)
        #expect(writer.syncCount == 21)
    }

    @Test func aLogThatCannotBeSyncedAcknowledgesNothingThenOrLater() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        writer.submit([.put(testRecord(1))])
        writer.flush()
        // The log vanishes under SQLite (which keeps writing to its open descriptor): the writer
        // cannot make anything durable any more.
        #expect(unlink(dir.databaseFile + "-wal") == 0)
        let tally = Tally(2)
        writer.submit([.put(testRecord(2))]) { tally.record(0, $0) }
        writer.flush()
        writer.submit([.put(testRecord(3))]) { tally.record(1, $0) }
        writer.flush()
        #expect(tally.snapshot == [1, 1])
        #expect(tally.failures == 2)
        #expect(throws: StorageError.self) { try writer.perform { (db) throws(StorageError) in try db.recordCount } }
    }

    @Test func aSubmitArrivingDuringASyncIsAcknowledgedOnlyAfterTheNextSync() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        let log = SyncLog()
        // Runs once, after the first cycle committed record 1 and before its fdatasync: record 2
        // arrives while that cycle is under way.
        let once = Once()
        writer.beforeSync = {
            guard once.first() else { return }
            writer.submit([.put(testRecord(2))]) { log.add(2, syncs: writer.syncCount, $0) }
        }
        writer.submit([.put(testRecord(1))]) { log.add(1, syncs: writer.syncCount, $0) }
        writer.flush()
        // Record 1 was acknowledged after the first fdatasync and before record 2; record 2 only
        // after a second one, which started after its own commit.
        #expect(log.entries.map(\.store) == [1, 2])
        #expect(log.entries.map(\.syncs) == [1, 2])
        #expect(log.failures == 0)
        #expect(writer.commitStatistics == (commits: 2, submits: 2))
        #expect(writer.syncCount == 2)
        let copy = try crashCopy(dir)
        let db = try NodeDatabase(directory: copy.path)
        defer { db.close() }
        #expect(Set(try db.loadRecords().map(\.key)) == [testRecord(1).key, testRecord(2).key])
    }

    @Test func everythingSubmittedDuringACycleSharesTheNextCommitAndSync() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        let log = SyncLog()
        let once = Once()
        let later = 50
        writer.beforeSync = {
            guard once.first() else { return }
            for i in 1...later {
                writer.submit([.put(testRecord(i))]) { log.add(i, syncs: writer.syncCount, $0) }
            }
        }
        writer.submit([.put(testRecord(0))]) { log.add(0, syncs: writer.syncCount, $0) }
        writer.flush()
        let entries = log.entries
        #expect(entries.count == later + 1)
        #expect(entries.first.map { [$0.store, $0.syncs] } == [0, 1])
        // The fifty that arrived during the first cycle: one commit, one fdatasync, answered in
        // the order they were submitted.
        #expect(entries.dropFirst().map(\.store) == Array(1...later))
        #expect(entries.dropFirst().allSatisfy { $0.syncs == 2 })
        #expect(log.failures == 0)
        #expect(writer.commitStatistics == (commits: 2, submits: later + 1))
        #expect(writer.syncCount == 2)
    }
}

/// Where the frames of the log's current generation end: past its 32-byte header, frames (a
/// 24-byte header and a page) follow while their salt (bytes 8..<16) is the header's (16..<24).
private func endOfFrames(_ wal: String) throws -> Int {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: wal)))
    guard bytes.count >= 32 else { return bytes.count }
    let pageSize = bytes[8..<12].reduce(0) { $0 << 8 | Int($1) }
    guard pageSize >= 512 else { return 32 }
    let salt = bytes[16..<24]
    var offset = 32
    while offset + 24 + pageSize <= bytes.count, bytes[(offset + 8)..<(offset + 16)] == salt { offset += 24 + pageSize }
    return offset
}

/// Completions in the order they ran, with the fdatasyncs counted when each ran.
private final class SyncLog: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [(store: Int, syncs: Int)] = []
    private var failed = 0

    func add(_ store: Int, syncs: Int, _ result: Result<Void, StorageError>) {
        lock.lock()
        list.append((store, syncs))
        if case .failure = result { failed += 1 }
        lock.unlock()
    }

    var entries: [(store: Int, syncs: Int)] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }

    var failures: Int {
        lock.lock()
        defer { lock.unlock() }
        return failed
    }
}

/// True the first time only.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func first() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        let isFirst = !done
        done = true
        return isFirst
    }
}
