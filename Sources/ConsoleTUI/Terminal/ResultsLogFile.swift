#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import DHTWire

/// Writes the console's results log as plain text to a new file in the XDG state directory
/// (`$XDG_STATE_HOME/dhtop`, else `~/.local/state/dhtop`), named by the UTC time:
/// `results-20261127-181502.log`. Directories are created 0700, the file 0600 and never
/// overwritten. Call on the console's thread; blocking file I/O, reads no clock (time is given).
enum ResultsLogFile {
    struct Failure: Error {
        var message: String
    }

    /// The directory the logs go to, from the environment.
    static func directory() -> String? {
        if let x = getenv("XDG_STATE_HOME").map({ String(cString: $0) }), x.hasPrefix("/") { return x + "/dhtop" }
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
        return home + "/.local/state/dhtop"
    }

    /// Writes `text` into `directory` (created as needed); returns the file's path.
    static func write(_ text: String, at time: Timestamp, in directory: String? = directory()) -> Result<String, Failure> {
        guard let dir = directory else { return .failure(Failure(message: "neither XDG_STATE_HOME nor HOME is set")) }
        guard makeDirectories(dir) else {
            return .failure(Failure(message: "cannot create \(dir): \(String(cString: strerror(errno)))"))
        }
        let base = dir + "/results-" + stamp(time)
        for n in 0..<100 {
            let path = base + (n == 0 ? "" : "-\(n)") + ".log"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd < 0 {
                if errno == EEXIST { continue }
                return .failure(Failure(message: "cannot create \(path): \(String(cString: strerror(errno)))"))
            }
            defer { close(fd) }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                guard n > 0 else { return .failure(Failure(message: "cannot write \(path): \(String(cString: strerror(errno)))")) }
                bytes = bytes.dropFirst(n)
            }
            return .success(path)
        }
        return .failure(Failure(message: "too many logs named \(base)*.log"))
    }

    /// `mkdir -p` with mode 0700 for the parts it creates.
    static func makeDirectories(_ path: String) -> Bool {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0, errno != EEXIST { return false }
        }
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// `YYYYMMDD-HHMMSS` in UTC (civil date from days since the epoch).
    static func stamp(_ t: Timestamp) -> String {
        let secs = t.unixSeconds
        let days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400
        let rem = Int(secs - days * 86400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)\(two(Int(m)))\(two(Int(d)))-\(two(rem / 3600))\(two(rem / 60 % 60))\(two(rem % 60))"
    }
}
