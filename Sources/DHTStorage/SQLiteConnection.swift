import CSQLite

/// One open SQLite database handle with a cache of prepared statements.
/// Not thread-safe: use it from one thread or serial queue at a time. Every call blocks on disk
/// I/O (and up to the busy timeout when another connection holds a write lock).
public final class SQLiteConnection {
    /// Open flags, re-exported so callers need not import CSQLite.
    public struct OpenFlags: OptionSet, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public static let readOnly = OpenFlags(rawValue: SQLITE_OPEN_READONLY)
        public static let readWrite = OpenFlags(rawValue: SQLITE_OPEN_READWRITE)
        public static let create = OpenFlags(rawValue: SQLITE_OPEN_CREATE)
        /// Multi-thread mode: no per-connection mutex (the caller serialises use).
        public static let noMutex = OpenFlags(rawValue: SQLITE_OPEN_NOMUTEX)
    }

    /// The file this connection opened.
    public let path: String
    private var db: OpaquePointer?
    private var cache: [String: SQLiteStatement] = [:]

    /// Opens `path` with `flags`. Blocks briefly (the file is not read until the first statement).
    public init(
        path: String, flags: OpenFlags = [.readWrite, .create, .noMutex],
        busyTimeoutMilliseconds: Int32 = 5_000
    ) throws(StorageError) {
        self.path = path
        var handle: OpaquePointer?
        let rc = sqlite3_open_v2(path, &handle, flags.rawValue, nil)
        guard rc == SQLITE_OK, let handle else {
            let text = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            if let handle { sqlite3_close_v2(handle) }
            throw StorageError.sqlite(rc, detail: text, path: path)
        }
        db = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
    }

    deinit { close() }

    /// True once `close()` ran.
    public var isClosed: Bool { db == nil }

    /// Whether SQLite opened the main database read-only (for example a write-protected file).
    public var isReadOnly: Bool {
        guard let db else { return true }
        return sqlite3_db_readonly(db, "main") == 1
    }

    /// Rows changed by the latest INSERT, UPDATE or DELETE.
    public var changes: Int {
        guard let db else { return 0 }
        return Int(sqlite3_changes64(db))
    }

    private func live() throws(StorageError) -> OpaquePointer {
        guard let db else { throw StorageError(.io, "database \(path) is closed") }
        return db
    }

    private func failure(_ rc: Int32) -> StorageError {
        guard let db else { return StorageError.sqlite(rc, detail: "closed", path: path) }
        return StorageError.sqlite(sqlite3_extended_errcode(db), detail: String(cString: sqlite3_errmsg(db)), path: path)
    }

    /// Runs one or more SQL statements that return no rows needed by the caller.
    public func exec(_ sql: String) throws(StorageError) {
        let db = try live()
        var errorText: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errorText)
        if let errorText { sqlite3_free(errorText) }
        guard rc == SQLITE_OK else { throw failure(rc) }
    }

    /// Returns the cached prepared statement for `sql`, preparing it on first use.
    /// The statement is reset and its bindings cleared before it is handed out.
    public func prepare(_ sql: String) throws(StorageError) -> SQLiteStatement {
        if let cached = cache[sql] {
            cached.reset()
            return cached
        }
        let db = try live()
        var handle: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard rc == SQLITE_OK, let handle else { throw failure(rc) }
        let statement = SQLiteStatement(handle: handle, sql: sql, path: path)
        cache[sql] = statement
        return statement
    }

    /// Runs `body` with the cached statement for `sql`, then resets it (releasing read locks).
    public func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws(StorageError) -> T) throws(StorageError) -> T {
        let statement = try prepare(sql)
        defer { statement.reset() }
        return try body(statement)
    }

    /// Reads a single value from a query returning at most one row; nil when there is no row.
    public func scalarInt64(_ sql: String) throws(StorageError) -> Int64? {
        try withStatement(sql) { (s) throws(StorageError) -> Int64? in try s.step() ? s.int64(0) : nil }
    }

    /// Reads the text of the first column of the first row; nil when there is no row.
    public func scalarText(_ sql: String) throws(StorageError) -> String? {
        try withStatement(sql) { (s) throws(StorageError) -> String? in try s.step() ? s.text(0) : nil }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, rolling back when it throws.
    /// Blocks for the commit, which with `synchronous=FULL` includes an fsync. Both statements
    /// are prepared once (a group commit runs them for every fsync).
    public func transaction<T>(_ body: () throws(StorageError) -> T) throws(StorageError) -> T {
        try withStatement("BEGIN IMMEDIATE") { (s) throws(StorageError) in try s.run() }
        let value: T
        do throws(StorageError) {
            value = try body()
            try withStatement("COMMIT") { (s) throws(StorageError) in try s.run() }
        } catch {
            if let db, sqlite3_get_autocommit(db) == 0 { _ = sqlite3_exec(db, "ROLLBACK", nil, nil, nil) }
            throw error
        }
        return value
    }

    /// Finalizes every cached statement and closes the handle. Safe to call twice.
    public func close() {
        for statement in cache.values { statement.finalize() }
        cache.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }
}
