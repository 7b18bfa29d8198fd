#if canImport(Glibc)
    import Glibc
#endif

/// Where the control socket lives, and the checks on the directory around it. Pure except
/// `prepareDirectory`, which creates missing directories and reads modes. Thread-safe.
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

    /// Makes sure the socket's directory is safe, without changing any directory it did not
    /// create: missing directories (and missing parents) are created 0700; an existing one must
    /// be a directory owned by us that neither group nor others may write (a shared `/tmp`, even
    /// sticky, is refused), else the error names the path and the fix. Returns the directories
    /// it created, outermost first.
    @discardableResult
    public static func prepareDirectory(for socketPath: String) throws(ControlError) -> [String] {
        let dir = directory(of: socketPath)
        var created: [String] = []
        try makeDirectories(dir, created: &created)
        var st = stat()
        guard stat(dir, &st) == 0 else { throw .errno("stat \(dir)") }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw ControlError("control socket directory \(dir) is not a directory") }
        if created.contains(dir) {
            // Ours since a moment ago: only now may its mode be set.
            if st.st_mode & 0o7777 != 0o700 { guard chmod(dir, 0o700) == 0 else { throw .errno("chmod 0700 \(dir)") } }
            return created
        }
        if let problem = unsafeDirectoryProblem(mode: UInt32(st.st_mode & 0o7777), owner: st.st_uid, us: getuid()) {
            throw ControlError(
                "refusing control socket directory \(dir): \(problem); its mode is left as it is. "
                    + "Put the socket in a directory only you can write, e.g. --control-socket \(dir)/dhtop-\(getuid())/control.sock "
                    + "(the node creates it 0700), or fix this one with chmod go-w \(dir)")
        }
        return created
    }

    /// Why a directory with this mode and owner is no place for our socket (nil: it is fine). Pure.
    public static func unsafeDirectoryProblem(mode: UInt32, owner: UInt32, us: UInt32) -> String? {
        let octal = String(mode & 0o7777, radix: 8)
        if owner != us { return "it belongs to uid \(owner), not to uid \(us) (mode \(octal))" }
        if mode & 0o022 != 0 { return "other users may write in it (mode \(octal))" }
        return nil
    }

    private static func makeDirectories(_ dir: String, created: inout [String]) throws(ControlError) {
        var st = stat()
        if stat(dir, &st) == 0 { return }
        let parent = directory(of: dir)
        if parent != dir && parent != "." && parent != "/" { try makeDirectories(parent, created: &created) }
        if mkdir(dir, 0o700) == 0 {
            created.append(dir)
        } else if errno != EEXIST {
            throw .errno("mkdir \(dir)")
        }
    }

    /// The permission bits of `path` (nil when it does not exist).
    public static func mode(of path: String) -> UInt32? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        return UInt32(st.st_mode & 0o7777)
    }
}

/// The socket of the node that the systemd unit runs (contrib/dhtop.service: user `dhtop`,
/// `RuntimeDirectory=dhtop`, `--control-socket /run/dhtop/PORT.sock`), and how `status` and
/// `attach` choose a socket without `--socket`. Pure: `exists` is its only look at the file
/// system. Thread-safe.
extension ControlPaths {
    /// The user the unit runs the node as.
    public static let serviceUser = "dhtop"

    /// `/run/dhtop/<port>.sock`, the unit's `--control-socket`.
    public static func serviceSocket(port: UInt16) -> String { "/run/dhtop/\(port).sock" }

    /// The socket a client connects to without `--socket`: this user's own default
    /// (`defaultSocket`) when a socket is there; else, for root or the service's user, the
    /// service's socket when it is there; else this user's default (nil when unknown), which
    /// the failed connect then names.
    public static func clientSocket(
        port: UInt16, dataDirectory: String?, environment: [String: String],
        userName: String?, uid: UInt32, exists: (String) -> Bool
    ) -> String? {
        let own = defaultSocket(port: port, dataDirectory: dataDirectory, environment: environment)
        if let own, exists(own) { return own }
        if uid == 0 || userName == serviceUser {
            let service = serviceSocket(port: port)
            if exists(service) { return service }
        }
        return own
    }
}
