import Foundation
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// What a child process wrote to one stream: either bytes read from a pipe by a thread of its
/// own until end of file (every writer closed), or the contents of a file the child writes.
/// Thread-safe; reads no clock.
public final class CapturedOutput: Sendable {
    private let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))
    private let file: String?

    /// Output that `read(from:)` will collect from a pipe.
    public init() { file = nil }

    /// Output the child writes into `file` (which must exist).
    public init(file: String) { self.file = file }

    /// Everything written so far.
    public var text: String {
        if let file { return (try? String(contentsOfFile: file, encoding: .utf8)) ?? "" }
        return state.withLock { String(decoding: $0.bytes, as: UTF8.self) }
    }

    /// The lines written so far (a last line without its newline included).
    public var lines: [Substring] { text.split(separator: "\n") }

    /// Whether the pipe reached end of file; always true for a file.
    public var isClosed: Bool { file != nil || state.withLock { $0.closed } }

    /// Reads `handle` on a thread of its own until end of file, then marks the output closed.
    public func read(from handle: FileHandle) {
        let fd = handle.fileDescriptor
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    state.withLock { $0.bytes.append(contentsOf: buffer[0..<n]) }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            withExtendedLifetime(handle) {}
            state.withLock { $0.closed = true }
        }
    }
}
