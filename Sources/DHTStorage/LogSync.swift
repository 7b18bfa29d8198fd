import DHTCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Makes a database's write-ahead log durable apart from SQLite's commit: `sync()` is an
/// `fdatasync` of `<database>-wal`, so every commit whose `COMMIT` returned before the call is
/// durable when it returns (SQLite's recovery keeps each commit whose frames and commit frame are
/// on disk, and drops a torn tail by its checksums). Used with `synchronous=NORMAL`, under which
/// SQLite still syncs the log's header when it restarts the log and syncs log and database around
/// every checkpoint, but not the log at each commit: that is left to this type, on another thread.
///
/// Thread-safe (a lock around the descriptor); `sync()` blocks for the fdatasync. Reads no clock.
final class LogSync: @unchecked Sendable {
    /// The log file's path.
    let path: String
    private let lock = PlainLock()
    private var fd: Int32 = -1
    private var inode: ino_t = 0

    init(databasePath: String) { path = databasePath + "-wal" }

    deinit { close() }

    /// fdatasync of the log. Reopens the file first when SQLite replaced it (another inode at the
    /// path). Throws `.io` when it cannot be opened or the sync fails.
    func sync() throws(StorageError) {
        lock.lock()
        defer { lock.unlock() }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw StorageError(.io, "write-ahead log \(path) cannot be found (\(StorageError.errnoText(errno)))")
        }
        if fd < 0 || st.st_ino != inode {
            closeLocked()
            let opened = open(path, O_RDONLY | O_CLOEXEC)
            guard opened >= 0 else {
                throw StorageError(.io, "write-ahead log \(path) cannot be opened (\(StorageError.errnoText(errno)))")
            }
            fd = opened
            inode = st.st_ino
        }
        #if canImport(Glibc)
            let rc = fdatasync(fd)
        #else
            let rc = fsync(fd)
        #endif
        guard rc == 0 else {
            throw StorageError(.io, "write-ahead log \(path) could not be synced to disk (\(StorageError.errnoText(errno)))")
        }
    }

    /// Closes the descriptor. Safe to call twice.
    func close() {
        lock.lock()
        closeLocked()
        lock.unlock()
    }

    private func closeLocked() {
        guard fd >= 0 else { return }
        #if canImport(Glibc)
            _ = Glibc.close(fd)
        #else
            _ = Darwin.close(fd)
        #endif
        fd = -1
    }
}
