#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A node's data directory, created if missing and held with an exclusive `flock` on
/// `<dir>/dhtop.lock` so that two dhtop processes never share it.
/// Not thread-safe; `acquire` blocks only on file-system calls (the lock is tried, never waited for).
/// The lock is released by `release()` or when the process exits (even by kill -9).
public final class DataDirectory {
    /// The directory path as given.
    public let path: String
    private var lockDescriptor: Int32 = -1

    /// The lock file's name inside the directory.
    public static let lockFileName = "dhtop.lock"

    /// Creates the directory (mode 0700, with missing parents) when absent, checks that it is
    /// writable, and takes the lock. Throws `.cannotCreateDirectory`, `.notWritable` or `.locked`.
    public static func acquire(_ path: String) throws(StorageError) -> DataDirectory {
        try makeDirectory(path)
        let dir = DataDirectory(path: path)
        try dir.lock()
        return dir
    }

    private init(path: String) { self.path = path }

    deinit { release() }

    /// Drops the lock. Safe to call twice.
    public func release() {
        if lockDescriptor >= 0 {
            flock(lockDescriptor, LOCK_UN)
            close(lockDescriptor)
        }
        lockDescriptor = -1
    }

    /// The path of a file inside the directory.
    public func file(_ name: String) -> String {
        path.hasSuffix("/") ? path + name : path + "/" + name
    }

    private static func makeDirectory(_ path: String) throws(StorageError) {
        guard !path.isEmpty else { throw StorageError(.cannotCreateDirectory, "data directory path is empty") }
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw StorageError(.cannotCreateDirectory, "data directory \(path) exists but is not a directory")
            }
            return
        }
        // Create each missing component in turn, as `mkdir -p` does.
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += component
            if mkdir(prefix, 0o700) != 0 {
                let err = errno
                var existing = stat()
                let isDirectory = stat(prefix, &existing) == 0 && (existing.st_mode & S_IFMT) == S_IFDIR
                if !(err == EEXIST && isDirectory) {
                    let why = err == EEXIST ? "\(prefix) exists and is not a directory" : "\(prefix): \(StorageError.errnoText(err))"
                    throw StorageError(.cannotCreateDirectory, "cannot create data directory \(path) (\(why))")
                }
            }
            prefix += "/"
        }
    }

    private func lock() throws(StorageError) {
        let lockPath = file(Self.lockFileName)
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            let err = errno
            let code: StorageError.Code = (err == EACCES || err == EROFS || err == EPERM) ? .notWritable : .io
            throw StorageError(code, "data directory \(path) is not writable (cannot create \(lockPath): \(StorageError.errnoText(err)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let err = errno
            let owner = Self.readOwner(fd)
            close(fd)
            if err == EWOULDBLOCK {
                let who = owner.map { " (pid \($0))" } ?? ""
                throw StorageError(.locked, "data directory \(path) is in use by another dhtop\(who); stop it or choose another directory")
            }
            throw StorageError(.io, "cannot lock \(lockPath): \(StorageError.errnoText(err))")
        }
        lockDescriptor = fd
        // Record the owner's pid for the message a second process prints; best effort.
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) == 0 {
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        // access() ignores root's override only for execute bits; a read-only mount still shows here.
        guard access(path, W_OK) == 0 else {
            let err = errno
            release()
            throw StorageError(.notWritable, "data directory \(path) is not writable (\(StorageError.errnoText(err)))")
        }
    }

    private static func readOwner(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        let digits = buffer[0..<n].prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        return Int32(String(decoding: digits, as: UTF8.self))
    }
}
