import DHTCore
@testable import DHTStorage
import DHTWire
import Foundation
import Testing

@Suite struct NodeDatabaseTests {
    @Test func recordsRoundTrip() throws {
        let dir = TempDir()
        var large = [UInt8](repeating: 0, count: 200 * 1024)
        for i in large.indices { large[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        let binary: [UInt8] = [0xff, 0xfe, 0x00, 0x80, 0xc3, 0x28, 0x00, 0xa0]
        let expected = [
            testRecord(1, publisher: nil),
            testRecord(2, publisher: testID(99)),
            testRecord(3, value: large),
            testRecord(4, value: binary),
            testRecord(5, value: []),
            testRecord(6, layer: 3, publisher: testID(3))
        ]
        do {
            let db = try NodeDatabase(directory: dir.path)
            try db.apply(expected.map { .put($0) })
            #expect(try db.recordCount == expected.count)
            db.close()
        }
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        let loaded = try db.loadRecords()
        #expect(db.skippedOnLastLoad == 0)
        #expect(Set(loaded) == Set(expected))
        #expect(loaded.count == expected.count)
        #expect(loaded.first { $0.key == expected[0].key }?.publisher == nil)
        #expect(loaded.first { $0.key == expected[1].key }?.publisher == testID(99))
        #expect(loaded.first { $0.key == expected[2].key }?.value == .bytes(large))
    }

    @Test func putReplacesSameLayerAndKey() throws {
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        var r = testRecord(7)
        try db.apply([.put(r)])
        r.value = .bytes(Array("{\"v\":2}".utf8))
        r.lastPublished += 100
        r.publisher = testID(5)
        try db.apply([.put(r)])
        var other = testRecord(7, layer: 2)  // same key, other layer: a separate row
        other.expireSeconds = 120
        try db.apply([.put(other)])
        #expect(try db.recordCount == 2)
        #expect(Set(try db.loadRecords()) == [r, other])
    }

    @Test func deleteRemovesOnlyThatRecord() throws {
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        let a = testRecord(1), b = testRecord(2), c = testRecord(1, layer: 1)
        try db.apply([.put(a), .put(b), .put(c)])
        try db.apply([.delete(layer: 0, key: a.key), .delete(layer: 0, key: Array("absent".utf8))])
        #expect(Set(try db.loadRecords()) == [b, c])
        // A put then a delete of the same key in one batch leaves nothing.
        try db.apply([.put(a), .delete(layer: 0, key: a.key)])
        #expect(Set(try db.loadRecords()) == [b, c])
    }

    @Test func nonBytesValueIsStoredAsItsBencoding() throws {
        let dir = TempDir()
        let value: BValue = .dict([.string("d"): .list([1, "x"]), .int(3): .bytes([0xff, 0x00])])
        var r = testRecord(1)
        r.value = value
        let db = try NodeDatabase(directory: dir.path)
        try db.apply([.put(r)])
        db.close()
        // Check the blob without the (separately developed) decoder.
        let raw = try SQLiteConnection(path: dir.databaseFile, flags: [.readOnly])
        defer { raw.close() }
        let row = try raw.withStatement("SELECT kind, value FROM records WHERE layer = 0 AND key = ?1") {
            (s) throws(StorageError) -> (Int64, [UInt8])? in
            try s.bind(1, blob: r.key)
            return try s.step() ? (s.int64(0), s.blob(1)) : nil
        }
        #expect(row?.0 == 1)
        #expect(row?.1 == Bencode.encode(value))
    }

    @Test func nodeIDsPerLayerPersist() throws {
        let dir = TempDir()
        do {
            let db = try NodeDatabase(directory: dir.path)
            #expect(try db.nodeID(layer: 0) == nil)
            try db.setNodeID(testID(10), layer: 0)
            try db.setNodeID(testID(13), layer: 3)
            try db.setNodeID(testID(11), layer: 0)  // replaces
            db.close()
        }
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        #expect(try db.nodeID(layer: 0) == testID(11))
        #expect(try db.nodeID(layer: 3) == testID(13))
        #expect(try db.nodeID(layer: 2) == nil)
    }

    @Test func contactsSaveAndLoad() throws {
        let dir = TempDir()
        let e1 = Endpoint(host: "127.0.0.1", port: 14441)!, e2 = Endpoint(host: "10.0.0.2", port: 9)!
        do {
            let db = try NodeDatabase(directory: dir.path)
            try db.saveContacts(layer: 0, [(testID(1), e1, 100), (testID(2), e2, 200)])
            try db.saveContacts(layer: 2, [(testID(3), e1, 50)])
            try db.saveContacts(layer: 0, [(testID(4), e2, 300), (testID(1), e1, 400)])  // replaces layer 0
            db.close()
        }
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        let loaded = try db.loadContacts()
        #expect(loaded.count == 3)
        #expect(loaded.map(\.layer) == [0, 0, 2])
        #expect(loaded.map(\.id) == [testID(1), testID(4), testID(3)])
        #expect(loaded.map(\.endpoint) == [e1, e2, e1])
        #expect(loaded.map(\.lastSeen) == [400, 300, 50])
        try db.saveContacts(layer: 2, [])
        #expect(try db.loadContacts().count == 2)
    }

    @Test func corruptFileIsRefusedAndLeftUntouched() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        var garbage = [UInt8](repeating: 0, count: 4096)
        var rng = SystemRandomNumberGenerator()
        for i in garbage.indices { garbage[i] = UInt8.random(in: 0...255, using: &rng) }
        garbage[0] = UInt8(ascii: "X")
        try Data(garbage).write(to: URL(fileURLWithPath: dir.databaseFile))
        let error = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains(dir.databaseFile) == true)
        let after = try Data(contentsOf: URL(fileURLWithPath: dir.databaseFile))
        #expect([UInt8](after) == garbage)
        #expect(!FileManager.default.fileExists(atPath: dir.databaseFile + "-wal"))
    }

    @Test func validHeaderButDamagedFileIsCorrupt() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        var bytes = Array("SQLite format 3\0".utf8) + [UInt8](repeating: 0xEE, count: 4096 - 16)
        bytes[16] = 0x10
        bytes[17] = 0x00  // page size 4096, the rest nonsense
        try Data(bytes).write(to: URL(fileURLWithPath: dir.databaseFile))
        let error = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        #expect(error?.code == .corrupt)
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.databaseFile))) == bytes)
    }

    @Test func directoryIsCreatedPrivate() throws {
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path + "/deeper/still")
        db.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.path + "/deeper/still")
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o700)
    }

    @Test func unusableDirectoryGivesClearError() throws {
        let dir = TempDir()
        // Works as root too: the parent is a regular file.
        try FileManager.default.createDirectory(atPath: dir.root, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir.path, contents: Data("x".utf8)))
        let error = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path + "/sub") }
        #expect(error?.code == .cannotCreateDirectory)
        #expect(error?.message.contains(dir.path + "/sub") == true)
        let notDir = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        #expect(notDir?.code == .cannotCreateDirectory)
    }

    /// Runs everywhere: as root (CI) the open is attempted with the thread's filesystem uid set
    /// to `nobody` (Linux `setfsuid`, per thread), since root ignores permission bits.
    @Test func readOnlyDirectoryIsNotWritable() throws {
        let dir = TempDir()
        try FileManager.default.createDirectory(atPath: dir.path, withIntermediateDirectories: true)
        chmod(dir.root, 0o755)  // reachable by anyone; only the data directory itself is read-only
        chmod(dir.path, 0o555)
        let error = try Unprivileged.run {
            #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        }
        #expect(error?.code == .notWritable)
        #expect(error?.message.contains(dir.path) == true)
        // The permission bits, not something else, were the obstacle: made writable, it opens.
        chmod(dir.path, 0o777)
        let opened = try Unprivileged.run { Result { try NodeDatabase(directory: dir.path) } }
        let db = try opened.get()
        db.close()
    }

    @Test func secondOpenOfSameDirectoryIsLocked() throws {
        let dir = TempDir()
        let first = try NodeDatabase(directory: dir.path)
        let error = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        #expect(error?.code == .locked)
        #expect(error?.message.contains(dir.path) == true)
        first.close()
        let again = try NodeDatabase(directory: dir.path)  // the lock is released by close()
        again.close()
    }
}

@Suite struct NodeDatabaseSettingsTests {
    @Test func walAndFullSynchronousAndSchemaVersion() throws {
        let dir = TempDir()
        let db = try NodeDatabase(directory: dir.path)
        defer { db.close() }
        #expect(try db.connection.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try db.connection.scalarInt64("PRAGMA synchronous") == 2)  // FULL
        #expect(try db.connection.scalarInt64("PRAGMA user_version") == NodeDatabase.schemaVersion)
    }

    @Test func newerSchemaIsRefused() throws {
        let dir = TempDir()
        do {
            let db = try NodeDatabase(directory: dir.path)
            try db.connection.exec("PRAGMA user_version = 99")
            db.close()
        }
        let error = #expect(throws: StorageError.self) { _ = try NodeDatabase(directory: dir.path) }
        #expect(error?.code == .schemaTooNew)
        #expect(error?.message.contains(dir.databaseFile) == true)
    }
}

@Suite struct PublishedValuesTests {
    @Test func publishedValuesPersistApartFromRecords() throws {
        let dir = TempDir()
        let mine = testRecord(7, publisher: testID(1))
        do {
            let db = try NodeDatabase(directory: dir.path)
            try db.apply([.putPublished(mine), .put(testRecord(8))])
            db.close()
        }
        let db = try NodeDatabase(directory: dir.path)
        #expect(try db.loadPublished() == [mine])
        #expect(try db.loadRecords().map(\.key) == [testRecord(8).key])
        try db.apply([.deletePublished(layer: mine.layer, key: mine.key)])
        #expect(try db.loadPublished().isEmpty)
        db.close()
    }
}

/// Runs a synchronous body as an unprivileged user for file access when the tests run as root:
/// the calling thread's filesystem uid and gid become `nobody`'s (65534) for the body only
/// (Linux `setfsuid`/`setfsgid` change just this thread). As another user it runs the body as is.
enum Unprivileged {
    static let nobody: UInt32 = 65_534

    static func run<T>(_ body: () throws -> T) throws -> T {
        guard getuid() == 0 else { return try body() }
        typealias SetFS = @convention(c) (UInt32) -> Int32
        guard let lib = dlopen(nil, RTLD_NOW), let u = dlsym(lib, "setfsuid"), let g = dlsym(lib, "setfsgid") else {
            throw StorageError(.io, "setfsuid is not available: cannot test permissions as root")
        }
        let setfsuid = unsafeBitCast(u, to: SetFS.self)
        let setfsgid = unsafeBitCast(g, to: SetFS.self)
        _ = setfsgid(nobody)
        _ = setfsuid(nobody)
        // setfsuid answers the previous value; an invalid id changes nothing and tells the current one.
        let now = setfsuid(UInt32.max)
        defer {
            _ = setfsuid(0)
            _ = setfsgid(0)
        }
        guard now == Int32(bitPattern: nobody) else {
            throw StorageError(.io, "could not switch the filesystem uid to \(nobody) (still \(now))")
        }
        return try body()
    }
}
