import DHTCore
import FoundationEssentials
import Logging
import Synchronization
#if canImport(Glibc)
    import Glibc
#endif

/// How `dhtop node` formats its log lines. A value type.
public enum LogFormat: String, Sendable, CaseIterable {
    /// sd-daemon priority prefixes for systemd's journal: `<6>dhtop.node: listening …`.
    case journal
    /// `time=… level=info label=dhtop.node msg="listening …"`, for files and log shippers.
    case logfmt
    /// `2025-01-01T00:00:00Z info dhtop.node: listening …`, for a terminal.
    case plain
}

/// Where log lines go: a file descriptor-like sink. Thread-safe.
public protocol LogSink: Sendable {
    func write(_ line: String)
}

/// Writes whole lines to stdout or stderr, unbuffered (one `write` per line). Thread-safe.
public struct StreamLogSink: LogSink {
    public let fd: Int32
    public init(fd: Int32) { self.fd = fd }
    public func write(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }
}

/// A swift-log handler for a long-running service: one line per message in `format`, with
/// metadata as `key=value` pairs. Thread-safe (the sink serialises). Reads the wall clock for
/// `logfmt` and `plain` timestamps (the journal stamps its own).
public struct ServiceLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public let label: String
    public let format: LogFormat
    public let sink: any LogSink

    public init(label: String, format: LogFormat, sink: any LogSink, level: Logger.Level = .info) {
        self.label = label
        self.format = format
        self.sink = sink
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?,
        source: String, file: String, function: String, line: UInt
    ) {
        sink.write(
            Self.format(
                level: level, label: label, message: message.description,
                metadata: metadata.merging(extra ?? [:]) { $1 }, format: format, now: Date()))
    }

    /// One formatted line (no newline). Pure given `now`.
    public static func format(
        level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
        format: LogFormat, now: Date
    ) -> String {
        let single = message.replacingScalar("\n", with: " ")
        let pairs = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\(quoteIfNeeded("\($0.value)"))" }
        switch format {
        case .journal:
            return "<\(priority(level))>\(label): \(single)" + (pairs.isEmpty ? "" : " " + pairs.joined(separator: " "))
        case .logfmt:
            return (["time=\(timestamp(now))", "level=\(level.rawValue)", "label=\(label)", "msg=\(quoteIfNeeded(single))"] + pairs)
                .joined(separator: " ")
        case .plain:
            return "\(timestamp(now)) \(level.rawValue) \(label): \(single)" + (pairs.isEmpty ? "" : " " + pairs.joined(separator: " "))
        }
    }

    /// The syslog priority sd-daemon(3) expects for a level.
    public static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }

    static func quoteIfNeeded(_ s: String) -> String {
        guard s.isEmpty || s.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" }) else { return s }
        return "\"" + s.replacingScalar("\\", with: "\\\\").replacingScalar("\"", with: "\\\"") + "\""
    }

    static func timestamp(_ d: Date) -> String {
        // RFC 3339 in UTC with milliseconds (`2026-01-02T03:04:05.678Z`), from gmtime_r.
        let seconds = d.timeIntervalSince1970.rounded(.down)
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        let millis = min(999, max(0, Int((d.timeIntervalSince1970 - seconds) * 1000)))
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(millis, 3))Z"
    }
}
