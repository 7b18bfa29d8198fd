#if canImport(Glibc)
import Glibc
#endif

/// Where the control socket lives, and the owner-only directory around it. Pure except
/// `prepareDirectory`, which touches the file system. Thread-safe.
public enum ControlPaths {
    /// `$XDG_RUNTIME_DIR/dhtop/<port>.sock` when XDG_RUNTIME_DIR is set (absolute), else
    /// `<dataDirectory>/control.sock`; nil when neither is known.
    public static func defaultSocket(port: UInt16, dataDirectory: String?, environment: [String: String]) -> String? {
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/") {
            return runtime + "/dhtop/\(port).sock"
        }
        guard let dataDirectory else { return nil }
        return dataDirectory + "/control.sock"
    }

    /// The directory part of `path` (`.` when it has none).
    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Makes sure the socket's directory exists, belongs to us and is 0700 (created 0700 with
    /// its missing parents; an existing one of ours is tightened to 0700). Someone else's
    /// directory is an error.
    public static func prepareDirectory(for socketPath: String) throws(ControlError) {
        let dir = directory(of: socketPath)
        try makeDirectories(dir)
        var st = stat()
        guard stat(dir, &st) == 0 else { throw .errno("stat \(dir)") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw ControlError("\(dir) is not a directory") }
        guard st.st_uid == getuid() else { throw ControlError("\(dir) belongs to uid \(st.st_uid), not to us") }
        if st.st_mode & 0o777 != 0o700 {
            guard chmod(dir, 0o700) == 0 else { throw .errno("chmod 0700 \(dir)") }
        }
    }

    private static func makeDirectories(_ dir: String) throws(ControlError) {
        var st = stat()
        if stat(dir, &st) == 0 { return }
        let parent = directory(of: dir)
        if parent != dir && parent != "." && parent != "/" { try makeDirectories(parent) }
        if mkdir(dir, 0o700) != 0 && errno != EEXIST { throw .errno("mkdir \(dir)") }
    }

    /// The permission bits of `path` (nil when it does not exist).
    public static func mode(of path: String) -> UInt32? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return UInt32(st.st_mode & 0o7777)
    }
}
