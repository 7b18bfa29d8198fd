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

    /// Extends the log with zeros to `bytes` when it is shorter, and syncs it, so that the commits
    /// until SQLite's next checkpoint overwrite blocks the file already has: their fdatasync then
    /// writes the frames only, not the file's new size and blocks as well (on ext4 another
    /// synchronous write, of the inode, on every sync while the log grows). The zeros are never
    /// read as frames: SQLite's recovery stops at the first frame whose salt or checksum does not
    /// match, as it does at a torn tail, and a log whose header is not valid counts as empty.
    /// Writes only past the log's current end. Best effort: on a failure (a full disk) the log is
    /// cut back to its size before. Call before the first commit that `sync()` covers; blocks on
    /// the writes.
    func reserve(bytes: Int) {
        lock.lock()
        defer { lock.unlock() }
        let wfd = open(path, O_WRONLY | O_CLOEXEC)
        guard wfd >= 0 else { return }
        defer { closeDescriptor(wfd) }
        var st = stat()
        guard fstat(wfd, &st) == 0, Int(st.st_size) < bytes else { return }
        let size = Int(st.st_size)
        let zeros = [UInt8](repeating: 0, count: 1 << 16)
        var offset = size
        while offset < bytes {
            let count = min(zeros.count, bytes - offset)
            let written = zeros.withUnsafeBytes { pwrite(wfd, $0.baseAddress, count, off_t(offset)) }
            guard written > 0 else { break }
            offset += written
        }
        #if canImport(Glibc)
            if offset >= bytes, fdatasync(wfd) == 0 { return }
        #else
            if offset >= bytes, fsync(wfd) == 0 { return }
        #endif
        _ = ftruncate(wfd, off_t(size))
    }

    /// Closes the descriptor. Safe to call twice.
    func close() {
        lock.lock()
        closeLocked()
        lock.unlock()
    }

    private func closeLocked() {
        guard fd >= 0 else { return }
        closeDescriptor(fd)
        fd = -1
    }

    private func closeDescriptor(_ descriptor: Int32) {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
