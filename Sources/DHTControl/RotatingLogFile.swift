import Foundation
import Synchronization

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
        var handle: FileHandle
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
        state = Mutex(State(handle: handle, size: size))
    }

    private static func open(_ path: String) -> (FileHandle, Int)? {
        let fm = FileManager.default
        if !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o640]) else { return nil }
        }
        guard let h = FileHandle(forWritingAtPath: path) else { return nil }
        let size = (try? h.seekToEnd()).map { Int($0) } ?? 0
        return (h, size)
    }

    public func write(_ line: String) {
        let data = Data((line + "\n").utf8)
        state.withLock { s in
            if s.size > 0 && s.size + data.count > maxBytes { rotate(&s) }
            do {
                try s.handle.write(contentsOf: data)
                s.size += data.count
            } catch {
                s.failures += 1
            }
        }
    }

    /// Writes that failed (disk full, file removed…).
    public var failures: Int { state.withLock { $0.failures } }

    private func rotate(_ s: inout State) {
        try? s.handle.close()
        let fm = FileManager.default
        try? fm.removeItem(atPath: "\(path).\(keep)")
        if keep > 1 {
            for i in stride(from: keep - 1, through: 1, by: -1) where fm.fileExists(atPath: "\(path).\(i)") {
                try? fm.moveItem(atPath: "\(path).\(i)", toPath: "\(path).\(i + 1)")
            }
        }
        try? fm.moveItem(atPath: path, toPath: "\(path).1")
        if let (h, size) = Self.open(path) {
            s.handle = h
            s.size = size
        } else {
            s.failures += 1
        }
    }
}
