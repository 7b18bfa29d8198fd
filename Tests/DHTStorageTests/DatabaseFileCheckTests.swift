import DHTCore
import DHTStorage
import DHTWire
import Foundation
import Testing

/// The database file is checked before SQLite sees it: an empty file or a directory in its
/// place is refused with a clear message and left as it is; a database at its size limit fails
/// writes as a full disk does.
@Suite struct DatabaseFileCheckTests {
    @Test func anEmptyDatabaseFileIsRefusedNotTakenOverWithANewIdentity() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir.databaseFile, contents: Data()))
        let error = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains(dir.databaseFile) == true)
        #expect(error?.message.contains("empty (0 bytes)") == true, "\(error?.message ?? "")")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.databaseFile)
        #expect((attributes[.size] as? Int) == 0, "the file is kept as it was")
        #expect(!FileManager.default.fileExists(atPath: dir.databaseFile + "-wal"))
    }

    @Test func aNewDatabaseIsCreatedWhenNoFileExistsAndReopens() throws {
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        try db.setNodeID(testID(5), layer: 0)
        db.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.databaseFile)
        #expect(((attributes[.size] as? Int) ?? 0) > 0, "a database this program made is never empty")
        let again = try NodeDatabase(directory: dir.path)
        #expect(try again.nodeID(layer: 0) == testID(5))
        again.close()
    }

    @Test func aDirectoryInPlaceOfTheDatabaseIsNamedAsSuch() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.databaseFile, withIntermediateDirectories: true)
        let error = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        #expect(error?.message.contains("\(dir.databaseFile) is a directory") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("bad header") == false)
    }

    @Test func aDatabaseAtItsSizeLimitFailsWritesAsADiskFull() throws {
        let dir = TempDir()
        let writer = try DurableWriter(directory: dir.path)
        defer { writer.close() }
        try writer.perform { db throws(StorageError) in
            try db.apply([.put(testRecord(0))])
            try db.limitSize(bytes: 64 * 1024)
        }
        let big = [UInt8](repeating: 0x41, count: 16 * 1024)
        var failure: StorageError?
        var stored = 0
        for n in 1...40 {
            let result = Box()
            writer.submit([.put(testRecord(n, value: big))]) { result.set($0) }
            writer.flush()
            if case .failure(let e) = result.value {
                failure = e
                break
            }
            stored += 1
        }
        let error = try #require(failure, "the size limit was never reached")
        #expect(error.isDiskFull)
        #expect(error.peerReason == "the disk is full")
        #expect(!error.peerReason.contains(dir.path))
        // What failed is not on disk; what succeeded is.
        let keys = Set(try writer.perform { db throws(StorageError) in try db.loadRecords() }.map(\.key))
        #expect(keys == Set((0...stored).map { testID(UInt64($0)).hexUTF8 }))
    }
}

/// One completion result, set on the writer queue and read after `flush`. Thread-safe.
private final class Box: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Result<Void, StorageError>?
    func set(_ r: Result<Void, StorageError>) {
        lock.lock()
        stored = r
        lock.unlock()
    }
    var value: Result<Void, StorageError>? {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
