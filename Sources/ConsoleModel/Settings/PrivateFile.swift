#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a user's private file with POSIX calls: parent directories created 0700, the file
/// replaced atomically (a temporary file beside it, then `rename`) with mode 0600. Thread-safe
/// (no shared state); does blocking I/O, so call it where a short disk write is acceptable.
public enum PrivateFile {
    /// Why a write failed: the path and `strerror`. A value type.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Replaces `path` with `text`.
    public static func store(_ text: String, at path: String) throws(Failure) {
        guard let slash = path.lastIndex(of: "/") else { throw Failure(description: "\(path): not an absolute path") }
        try makeDirectories(String(path[..<slash]))
        let temporary = path + ".tmp\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw failure(temporary) }
        var ok = fchmod(fd, 0o600) == 0
        let bytes = Array(text.utf8)
        var written = 0
        while ok, written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n > 0 { written += n } else if n < 0 && errno == EINTR { continue } else { ok = false }
        }
        let error = ok ? nil : failure(temporary)
        close(fd)
        if let error {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let e = failure(path)
            unlink(temporary)
            throw e
        }
    }

    /// `mkdir -p` with mode 0700 for the directories it creates.
    public static func makeDirectories(_ path: String) throws(Failure) {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST { throw failure(current) }
        }
    }

    static func failure(_ path: String) -> Failure {
        Failure(description: "\(path): \(String(cString: strerror(errno)))")
    }
}
