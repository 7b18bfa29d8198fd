import CSQLite
import DHTCore
import DHTWire

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The durable store of one node: its records, per-layer node ids and last known contacts, in
/// `<dir>/dhtop.sqlite3` (WAL, `synchronous=FULL`: a committed change survives a crash or kill -9;
/// `DurableWriter` switches to `NORMAL` and syncs the log itself, see `deferCommitSync`).
/// Not thread-safe: use it from one serial queue (normally through `DurableWriter`). Every method
/// blocks on disk I/O; `apply` and `save…` block for an fsync.
public final class NodeDatabase {
    /// The database file's name inside the data directory.
    public static let fileName = "dhtop.sqlite3"
    /// The schema version this build writes (`PRAGMA user_version`).
    public static let schemaVersion: Int64 = 3

    /// Value encodings in `records.kind`.
    enum ValueKind: Int64 {
        /// A byte string (BitDust's JSON text), stored as is.
        case bytes = 0
        /// Any other value, stored as its bencoding.
        case bencoded = 1
    }

    /// The database file path.
    public let path: String
    private let directory: DataDirectory
    let connection: SQLiteConnection
    /// How many rows the latest `loadRecords()` skipped because their value could not be decoded.
    public private(set) var skippedOnLastLoad = 0
    /// Rows, and bytes of keys and values, appended to the inbox since it was last applied
    /// (`NodeDatabase+Inbox.swift`).
    var inboxRows = 0
    var inboxBytes = 0

    /// Creates the directory (0700) if missing, locks it, and opens or creates the database.
    /// Never overwrites an existing file that is not a dhtop database: it throws `.corrupt` and
    /// leaves the file untouched. Blocks on file-system I/O.
    public init(directory: String) throws(StorageError) {
        let dir = try DataDirectory.acquire(directory)
        let path = dir.file(Self.fileName)
        try Self.checkHeader(path)
        let connection = try SQLiteConnection(path: path, flags: [.readWrite, .create, .noMutex])
        do throws(StorageError) {
            if connection.isReadOnly {
                throw StorageError(.notWritable, "database \(path) is not writable (check its permissions)")
            }
            // Read before anything writes: a damaged file fails here, still untouched.
            let version = try connection.scalarInt64("PRAGMA user_version") ?? 0
            _ = try connection.scalarInt64("SELECT count(*) FROM sqlite_master")
            guard version <= Self.schemaVersion else {
                throw StorageError(
                    .schemaTooNew, "database \(path) has schema version \(version), newer than this dhtop understands (\(Self.schemaVersion)); upgrade dhtop")
            }
            let mode = try connection.scalarText("PRAGMA journal_mode=WAL")
            guard mode?.lowercased() == "wal" else {
                throw StorageError(.io, "database \(path) cannot use WAL journaling (got \(mode ?? "nothing"))")
            }
            try connection.exec("PRAGMA synchronous=FULL")
            if version < Self.schemaVersion { try Self.createSchema(connection) }
        } catch {
            connection.close()
            dir.release()
            throw error
        }
        self.path = path
        self.directory = dir
        self.connection = connection
        do throws(StorageError) {
            // What a crash left in the inbox joins the tables before anyone reads them.
            try applyInbox()
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Closes the database and releases the directory lock. Safe to call twice.
    public func close() {
        connection.close()
        directory.release()
    }

    /// Refuses, before SQLite sees it: a path that is a directory; an empty (0-byte) file, which
    /// is not a database this program wrote (its first act on a new file, `journal_mode=WAL`,
    /// writes the header) — unless a non-empty WAL beside it holds its content; and a file whose
    /// first 16 bytes are not SQLite's magic. A missing file is fine: SQLite creates it.
    private static func checkHeader(_ path: String) throws(StorageError) {
        var st = stat()
        if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw StorageError(.corrupt, "database \(path) is a directory, not a file; move it away or choose another data directory")
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            if err == ENOENT { return }
            let code: StorageError.Code = err == EACCES ? .notWritable : .io
            throw StorageError(code, "database \(path) cannot be opened (\(StorageError.errnoText(err)))")
        }
        defer { closeDescriptor(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        let n = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
        if n == 0 {
            var wal = stat()
            if stat(path + "-wal", &wal) == 0, wal.st_size > 0 { return }
            throw StorageError(
                .corrupt,
                "database \(path) is empty (0 bytes), not a dhtop database; it is kept as it is: "
                    + "remove it to start afresh with a new node id", sqliteCode: SQLITE_NOTADB)
        }
        guard n == 16, header == Array("SQLite format 3\0".utf8) else {
            let why = n < 0 ? StorageError.errnoText(errno) : "bad header"
            throw StorageError(.corrupt, "database \(path) is not a valid dhtop database (\(why)); move it away to start afresh", sqliteCode: SQLITE_NOTADB)
        }
    }

    private static func createSchema(_ c: SQLiteConnection) throws(StorageError) {
        try c.transaction { () throws(StorageError) in
            try c.exec(
                """
                CREATE TABLE IF NOT EXISTS records(
                    layer INTEGER NOT NULL, key BLOB NOT NULL, kind INTEGER NOT NULL, value BLOB NOT NULL,
                    last_published INTEGER NOT NULL, originally_published INTEGER NOT NULL,
                    publisher BLOB NULL, expire_seconds INTEGER NOT NULL,
                    PRIMARY KEY(layer, key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS published(
                    layer INTEGER NOT NULL, key BLOB NOT NULL, kind INTEGER NOT NULL, value BLOB NOT NULL,
                    last_published INTEGER NOT NULL, originally_published INTEGER NOT NULL,
                    publisher BLOB NULL, expire_seconds INTEGER NOT NULL,
                    PRIMARY KEY(layer, key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value BLOB);
                CREATE TABLE IF NOT EXISTS contacts(
                    layer INTEGER NOT NULL, id BLOB NOT NULL, host TEXT NOT NULL, port INTEGER NOT NULL,
                    last_seen INTEGER NOT NULL, PRIMARY KEY(layer, id));
                \(inboxSchema)
                PRAGMA user_version = \(schemaVersion);
                """)
        }
    }

    // MARK: records

    /// Every stored record, in (layer, key) order. Rows whose value cannot be decoded are skipped
    /// and counted in `skippedOnLastLoad`.
    public func loadRecords() throws(StorageError) -> [StoredRecord] {
        try load(table: "records")
    }

    /// The values this node published and keeps republishing (schema version 2 on).
    public func loadPublished() throws(StorageError) -> [StoredRecord] {
        try load(table: "published")
    }

    private func load(table: String) throws(StorageError) -> [StoredRecord] {
        var skipped = 0
        let sql = "SELECT \(Self.recordColumns) FROM \(table) ORDER BY layer, key"
        let records = try connection.withStatement(sql) { (s) throws(StorageError) -> [StoredRecord] in
            var out: [StoredRecord] = []
            while try s.step() {
                guard let value = Self.decodeValue(kind: s.int64(2), blob: s.blob(3)) else {
                    skipped += 1
                    continue
                }
                let publisher = s.isNull(6) ? nil : NodeID(bytes: s.blob(6))
                out.append(
                    StoredRecord(
                        layer: Int(s.int64(0)), key: s.blob(1), value: value,
                        lastPublished: s.int64(4), originallyPublished: s.int64(5),
                        publisher: publisher, expireSeconds: s.int64(7)))
            }
            return out
        }
        skippedOnLastLoad = skipped
        return records
    }

    /// Caps the database at about `bytes` (SQLite's `max_page_count`, for this connection only;
    /// never below its current size): a write past it fails with SQLITE_FULL exactly as on a
    /// full disk. Used by tests to fill the "disk". Returns the cap in pages.
    @discardableResult
    public func limitSize(bytes: Int) throws(StorageError) -> Int64 {
        let pageSize = max(512, try connection.scalarInt64("PRAGMA page_size") ?? 4096)
        let pages = max(1, Int64(bytes) / pageSize)
        return try connection.scalarInt64("PRAGMA max_page_count = \(pages)") ?? pages
    }

    /// The number of stored records.
    public var recordCount: Int {
        get throws(StorageError) { Int(try connection.scalarInt64("SELECT count(*) FROM records") ?? 0) }
    }

    /// Applies a batch of puts and deletes in one transaction (all or nothing). Blocks for an fsync.
    public func apply(_ changes: [StorageChange]) throws(StorageError) {
        guard !changes.isEmpty else { return }
        try connection.transaction { () throws(StorageError) in
            for change in changes { try write(change) }
        }
    }

    /// Commits from now on no longer wait for an fsync (`synchronous=NORMAL`); a commit is durable
    /// once the returned `LogSync`'s `sync()`, called after the commit returned, has returned.
    /// Used by `DurableWriter`, which syncs on another thread while the next batch is written.
    func deferCommitSync() throws(StorageError) -> LogSync {
        try connection.exec("PRAGMA synchronous=NORMAL")
        return LogSync(databasePath: path)
    }

    private func write(_ change: StorageChange) throws(StorageError) {
        switch change {
        case .put(let r): try put(r, sql: Self.putRecord)
        case .putPublished(let r): try put(r, sql: Self.putPublished)
        case .delete(let layer, let key): try delete(layer: layer, key: key, sql: Self.deleteRecord)
        case .deletePublished(let layer, let key): try delete(layer: layer, key: key, sql: Self.deletePublished)
        }
    }

    /// A record's columns in `records` and `published`, in the order the statements bind them
    /// (the inbox holds the same columns after `op`).
    static let recordColumns = "layer, key, kind, value, last_published, originally_published, publisher, expire_seconds"

    /// The statements of `write`, built once: the connection's statement cache is keyed by them.
    private static func putSQL(_ table: String) -> String {
        "INSERT OR REPLACE INTO \(table)(\(recordColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    }
    static let putRecord = putSQL("records")
    static let putPublished = putSQL("published")
    static let deleteRecord = "DELETE FROM records WHERE layer = ?1 AND key = ?2"
    static let deletePublished = "DELETE FROM published WHERE layer = ?1 AND key = ?2"

    private func put(_ r: StoredRecord, sql: String) throws(StorageError) {
        let s = try connection.prepare(sql)
        defer { s.reset() }
        let (kind, blob) = Self.encodeValue(r.value)
        try s.bind(1, Int64(r.layer))
        try s.bind(2, blob: r.key)
        try s.bind(3, kind.rawValue)
        try s.bind(4, blob: blob)
        try s.bind(5, r.lastPublished)
        try s.bind(6, r.originallyPublished)
        if let p = r.publisher { try s.bind(7, blob: p.bytes) } else { try s.bindNull(7) }
        try s.bind(8, r.expireSeconds)
        try s.run()
    }

    private func delete(layer: Int, key: [UInt8], sql: String) throws(StorageError) {
        let s = try connection.prepare(sql)
        defer { s.reset() }
        try s.bind(1, Int64(layer))
        try s.bind(2, blob: key)
        try s.run()
    }

    static func encodeValue(_ value: BValue) -> (ValueKind, [UInt8]) {
        if case .bytes(let b) = value { return (.bytes, b) }
        return (.bencoded, Bencode.encode(value))
    }

    static func decodeValue(kind: Int64, blob: [UInt8]) -> BValue? {
        switch ValueKind(rawValue: kind) {
        case .bytes: return .bytes(blob)
        case .bencoded:
            var limits = DecodeLimits()
            limits.maxTotalBytes = max(blob.count, limits.maxTotalBytes)
            limits.maxItems = max(blob.count, limits.maxItems)
            limits.maxDepth = 256
            limits.requireUTF8Strings = false
            return try? Bencode.decode(blob, limits: limits)
        case nil: return nil
        }
    }
}

/// `close(2)`, named apart from `NodeDatabase.close()`.
private func closeDescriptor(_ fd: Int32) {
    #if canImport(Glibc)
        _ = Glibc.close(fd)
    #else
        _ = Darwin.close(fd)
    #endif
}
