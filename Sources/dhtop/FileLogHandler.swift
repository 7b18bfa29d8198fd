import FoundationEssentials
import Logging
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// A log file that swift-log writes to while the console owns the terminal. Until `open`
/// succeeds, log lines are dropped (never written to the terminal).
///
/// Contract: thread-safe; each line is one unbuffered `write` under a lock. Reads the wall clock
/// for each line's time stamp.
final class LogFile: Sendable {
    private let fd = Mutex<Int32>(-1)

    /// Appends to `path` (created 0600 if missing); returns the reason when it cannot.
    func open(_ path: String) -> String? {
        let f = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard f >= 0 else { return "cannot open log file \(path): \(String(cString: strerror(errno)))" }
        let old = fd.withLock { d in
            defer { d = f }
            return d
        }
        if old >= 0 { _ = Glibc.close(old) }
        return nil
    }

    func write(_ line: String) {
        fd.withLock { d in
            guard d >= 0 else { return }
            Output.write(line, to: d)
        }
    }

    func close() {
        let old = fd.withLock { d in
            defer { d = -1 }
            return d
        }
        if old >= 0 { _ = Glibc.close(old) }
    }

    /// Sends every logger of the process to this file at `level`. Call once, before any logger is made.
    func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { [self] label in FileLogHandler(label: label, file: self, logLevel: level) }
    }
}

/// swift-log handler writing `2025-01-01T12:00:00Z info dhtop.node: text key=value` lines to a
/// `LogFile`. A value type, as swift-log requires; thread-safe through the file's lock.
struct FileLogHandler: LogHandler {
    let label: String
    let file: LogFile
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(label: String, file: LogFile, logLevel: Logger.Level) {
        self.label = label
        self.file = file
        self.logLevel = logLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        let fields = all.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        file.write("\(Self.timestamp()) \(event.level) \(label): \(event.message)\(fields)\n")
    }

    static func timestamp() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
