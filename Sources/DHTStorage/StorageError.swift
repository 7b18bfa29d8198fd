import CSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why durable storage could not be opened, read or written.
/// A value type; thread-safe. `message` is one line naming the path, meant to be printed verbatim.
public struct StorageError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers that react differently to each.
    public enum Code: String, Hashable, Sendable {
        /// The data directory is missing and could not be created (or the path is not a directory).
        case cannotCreateDirectory
        /// The data directory or the database file cannot be written by this process.
        case notWritable
        /// The database file exists but is not a valid SQLite database (SQLITE_NOTADB/SQLITE_CORRUPT).
        case corrupt
        /// Another dhtop process owns the data directory (or SQLite stayed busy).
        case locked
        /// The database was written by a newer dhtop whose schema this build does not know.
        case schemaTooNew
        /// Any other I/O or SQLite failure, including use after `close()`.
        case io
    }

    public var code: Code
    /// One human line, naming the path concerned.
    public var message: String
    /// The SQLite extended result code, when the failure came from SQLite.
    public var sqliteCode: Int32?

    public init(_ code: Code, _ message: String, sqliteCode: Int32? = nil) {
        self.code = code
        self.message = message
        self.sqliteCode = sqliteCode
    }

    public var description: String { message }

    /// Maps a SQLite result code to a storage error about `path`.
    static func sqlite(_ result: Int32, detail: String, path: String) -> StorageError {
        let primary = result & 0xff
        let code: Code
        let what: String
        switch primary {
        case SQLITE_NOTADB, SQLITE_CORRUPT:
            code = .corrupt
            what = "is not a valid dhtop database (corrupt or another file); move it away to start afresh"
        case SQLITE_BUSY, SQLITE_LOCKED:
            code = .locked
            what = "is locked by another process"
        case SQLITE_READONLY, SQLITE_PERM:
            code = .notWritable
            what = "cannot be written"
        case SQLITE_CANTOPEN:
            code = .notWritable
            what = "cannot be opened"
        case SQLITE_FULL:
            code = .io
            what = "cannot be written: the disk is full"
        default:
            code = .io
            what = "failed"
        }
        return StorageError(code, "database \(path) \(what) (\(detail))", sqliteCode: result)
    }

    /// Whether the failure was a full disk (or a database at its size limit: SQLITE_FULL).
    public var isDiskFull: Bool { sqliteCode.map { $0 & 0xff == SQLITE_FULL } ?? false }

    /// A short reason without paths, fit to send to a peer whose store failed.
    public var peerReason: String {
        isDiskFull ? "the disk is full" : "the node could not write its database (\(code.rawValue))"
    }

    /// Describes the current `errno` as text.
    static func errnoText(_ err: Int32 = errno) -> String {
        String(cString: strerror(err))
    }
}
