import FoundationEssentials
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// `--log-file PATH`: appends lines to PATH and rotates by size: when a write would take it past
/// `maxBytes`, PATH becomes PATH.1 (PATH.1 becomes PATH.2, …) and only `keep` old files stay.
///
/// Contract: thread-safe (one lock around write and rotate); never throws after opening — a
/// failed write is counted in `failures`. Reads no clock.
public final class RotatingLogFile: LogSink, @unchecked Sendable {
    public let path: String
    public let maxBytes: Int
    public let keep: Int
    private struct State {
        var fd: Int32
        var size: Int
        var failures = 0
    }
    private let state: Mutex<State>

    /// Opens (creating with mode 0640) PATH for appending.
    public init(path: String, maxBytes: Int = 10 << 20, keep: Int = 3) throws(ControlError) {
        self.path = path
        self.maxBytes = max(1024, maxBytes)
        self.keep = max(1, keep)
        guard let (handle, size) = Self.open(path) else { throw ControlError("cannot open log file \(path)") }
        state = Mutex(State(fd: handle, size: size))
    }

    deinit {
        state.withLock { s in if s.fd >= 0 { Glibc.close(s.fd) } }
    }

    /// Opens PATH for appending (created with mode 0640); the descriptor and the file's size.
    private static func open(_ path: String) -> (Int32, Int)? {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return nil }
        let size = lseek(fd, 0, SEEK_END)
        return (fd, max(0, Int(size)))
    }

    /// Writes all of `bytes` to `fd`; false on an error.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        guard fd >= 0 else { return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return true
    }

    public func write(_ line: String) {
        let data = Array((line + "\n").utf8)
        state.withLock { s in
            if s.size > 0 && s.size + data.count > maxBytes { rotate(&s) }
            if Self.writeAll(s.fd, data) {
                s.size += data.count
            } else {
                s.failures += 1
            }
        }
    }

    /// Writes that failed (disk full, file removed…).
    public var failures: Int { state.withLock { $0.failures } }

    private func rotate(_ s: inout State) {
        Glibc.close(s.fd)
        let fm = FileManager.default
        try? fm.removeItem(atPath: "\(path).\(keep)")
        if keep > 1 {
            for i in stride(from: keep - 1, through: 1, by: -1) where fm.fileExists(atPath: "\(path).\(i)") {
                try? fm.moveItem(atPath: "\(path).\(i)", toPath: "\(path).\(i + 1)")
            }
        }
        try? fm.moveItem(atPath: path, toPath: "\(path).1")
        if let (h, size) = Self.open(path) {
            s.fd = h
            s.size = size
        } else {
            s.fd = -1
            s.failures += 1
        }
    }
}
