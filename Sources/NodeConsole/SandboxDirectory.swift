import DHTCore
import FoundationEssentials
#if canImport(Glibc)
    import Glibc
#endif

/// The private data directory of one `--sandbox` run: created fresh and empty (so the console's
/// node remembers no contacts, ids or records from an earlier run — the sandbox's ports are new
/// each time) and removed with everything in it when the run ends.
///
/// Contract: `create` makes `<base>/dhtop-sandbox-XXXXXX` (0700) holding a `pid` file, and first
/// removes the directories of earlier runs whose process is gone (a run killed before it could
/// clean up; only directories of this user with a `pid` file naming a dead process are touched).
/// `remove` is idempotent. Reads no clock. Thread-safe.
public final class SandboxDirectory: Sendable {
    public let path: String

    private init(path: String) { self.path = path }

    /// The name every sandbox directory starts with.
    public static let prefix = "dhtop-sandbox-"

    /// A new empty directory under `base` (default: the system's temporary directory).
    public static func create(in base: String? = nil) throws -> SandboxDirectory {
        var base = base ?? FileManager.default.temporaryDirectory.path
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        removeAbandoned(in: base)
        var template = Array((base + "/" + prefix + "XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw SandboxDirectoryError("cannot create a temporary data directory in \(base): \(String(cString: strerror(errno)))")
        }
        let path = String(cString: made)
        try? "\(getpid())\n".write(toFile: path + "/pid", atomically: false, encoding: .utf8)
        return SandboxDirectory(path: path)
    }

    /// Removes the directory and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Removes the sandbox directories in `base` that belong to this user and to a process that
    /// no longer runs. Returns the paths removed.
    @discardableResult
    public static func removeAbandoned(in base: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return [] }
        var removed: [String] = []
        for name in names where name.hasPrefix(prefix) {
            let dir = base + "/" + name
            var st = stat()
            guard lstat(dir, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR, st.st_uid == getuid() else { continue }
            guard let text = try? String(contentsOfFile: dir + "/pid", encoding: .utf8),
                let pid = Int32(text.trimmedWhitespace()), pid > 0
            else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: dir)
                removed.append(dir)
            }
        }
        return removed
    }
}

/// Why a sandbox directory could not be made. A value type.
public struct SandboxDirectoryError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
