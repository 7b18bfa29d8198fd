import CSQLite

/// A prepared statement owned by a `SQLiteConnection` (normally taken from its cache).
/// Not thread-safe: use it only on the connection's thread/queue. `step()` blocks on disk I/O.
/// Parameter and column indexes follow SQLite: parameters from 1, columns from 0.
public final class SQLiteStatement {
    private var handle: OpaquePointer?
    /// The SQL text, for error messages.
    public let sql: String
    private let path: String

    init(handle: OpaquePointer, sql: String, path: String) {
        self.handle = handle
        self.sql = sql
        self.path = path
    }

    deinit { finalize() }

    /// Releases the statement; later use fails with `.io`. Safe to call twice.
    public func finalize() {
        if let h = handle { sqlite3_finalize(h) }
        handle = nil
    }

    fileprivate func live() throws(StorageError) -> OpaquePointer {
        guard let h = handle else { throw StorageError(.io, "database \(path): statement used after finalize (\(sql))") }
        return h
    }

    private func check(_ rc: Int32) throws(StorageError) {
        guard rc == SQLITE_OK else {
            let h = handle.flatMap { sqlite3_db_handle($0) }
            let text = h.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(rc)"
            throw StorageError.sqlite(rc, detail: text, path: path)
        }
    }

    // MARK: binding

    public func bind(_ index: Int32, _ value: Int64) throws(StorageError) {
        try check(sqlite3_bind_int64(try live(), index, value))
    }

    /// Binds bytes as a BLOB (an empty array binds a zero-length BLOB, not NULL).
    public func bind(_ index: Int32, blob: [UInt8]) throws(StorageError) {
        let h = try live()
        let rc = blob.withUnsafeBytes { raw -> Int32 in
            guard let base = raw.baseAddress, raw.count > 0 else { return sqlite3_bind_zeroblob(h, index, 0) }
            return sqlite3_bind_blob64(h, index, base, sqlite3_uint64(raw.count), csqlite_transient())
        }
        try check(rc)
    }

    public func bind(_ index: Int32, text: String) throws(StorageError) {
        let h = try live()
        let count = sqlite3_uint64(text.utf8.count)
        let rc = text.withCString { sqlite3_bind_text64(h, index, $0, count, csqlite_transient(), UInt8(SQLITE_UTF8)) }
        try check(rc)
    }

    public func bindNull(_ index: Int32) throws(StorageError) {
        try check(sqlite3_bind_null(try live(), index))
    }

    /// Binds a copy of column `column` of `row`'s current row, whatever its type.
    public func bind(_ index: Int32, column: Int32, of row: SQLiteStatement) throws(StorageError) {
        try check(sqlite3_bind_value(try live(), index, sqlite3_column_value(try row.live(), column)))
    }

    /// How many parameters the statement takes.
    public var parameterCount: Int32 { handle.map { sqlite3_bind_parameter_count($0) } ?? 0 }

    // MARK: stepping

    /// Advances one row: true when a row is available, false when the statement is done.
    public func step() throws(StorageError) -> Bool {
        let h = try live()
        let rc = sqlite3_step(h)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let db = sqlite3_db_handle(h)
            let text = db.map { String(cString: sqlite3_errmsg($0)) } ?? "error \(rc)"
            let extended = db.map { sqlite3_extended_errcode($0) } ?? rc
            sqlite3_reset(h)
            throw StorageError.sqlite(extended, detail: text, path: path)
        }
    }

    /// Runs the statement to completion, ignoring any rows.
    public func run() throws(StorageError) {
        while try step() {}
    }

    /// Makes the statement ready to run again and clears its bindings.
    public func reset() {
        guard let h = handle else { return }
        sqlite3_reset(h)
        sqlite3_clear_bindings(h)
    }

    // MARK: columns

    public func isNull(_ column: Int32) -> Bool {
        guard let h = handle else { return true }
        return sqlite3_column_type(h, column) == SQLITE_NULL
    }

    public func int64(_ column: Int32) -> Int64 {
        guard let h = handle else { return 0 }
        return sqlite3_column_int64(h, column)
    }

    /// The column as bytes (empty for NULL or a zero-length BLOB).
    public func blob(_ column: Int32) -> [UInt8] {
        guard let h = handle else { return [] }
        let p = sqlite3_column_blob(h, column)
        let n = Int(sqlite3_column_bytes(h, column))
        guard let p, n > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }

    /// The column as text (empty for NULL); invalid UTF-8 is repaired.
    public func text(_ column: Int32) -> String {
        guard let h = handle, let p = sqlite3_column_text(h, column) else { return "" }
        let n = Int(sqlite3_column_bytes(h, column))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
}
