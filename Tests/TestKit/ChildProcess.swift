import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// One long-running child process (a `dhtop node`, a reference node) with its output captured:
/// stdout and stderr through pipes, or both into one log file. Lines are read as the child
/// writes them (`waitForLine`, `waitForReady`). Stopped by pid with SIGTERM then SIGKILL, also
/// on deinit. Not thread-safe; the waits read the wall clock.
public final class ChildProcess {
    public let process: Process
    public let stdout: CapturedOutput
    public let stderr: CapturedOutput

    /// Starts `path` with `arguments` (environment: this process's overridden by `environment`;
    /// working directory `directory`, the repository root by default), no signal blocked.
    /// With `logFile`, stdout and stderr both go to that file (created empty, or emptied);
    /// `stdout` then reads it and `stderr` reads it too.
    public init(
        _ path: String, _ arguments: [String], environment: [String: String] = [:],
        directory: String? = RepositoryPaths.root, logFile: String? = nil
    ) throws {
        (process, stdout, stderr) = try launch(
            path, arguments, environment: environment, directory: directory,
            output: logFile.map { .files(stdout: $0, stderr: $0) } ?? .pipes)
    }

    deinit { stop(grace: 2) }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Waits for a stdout line starting with `prefix`; nil if the child exits or `timeout`
    /// seconds pass first.
    public func waitForLine(prefix: String, timeout: Double = 15) -> String? {
        var found: String?
        _ = eventually(timeout: timeout, every: 0.02) {
            if let line = stdout.lines.first(where: { $0.hasPrefix(prefix) }) {
                found = String(line)
                return true
            }
            return !process.isRunning && stdout.isClosed
        }
        if found == nil, let line = stdout.lines.first(where: { $0.hasPrefix(prefix) }) { found = String(line) }
        return found
    }

    /// Waits for the `READY <port> <id>` line a node prints once it serves; its port and node id
    /// (nil also when that line does not parse).
    public func waitForReady(timeout: Double = 15) -> (port: UInt16, id: String)? {
        guard let line = waitForLine(prefix: "READY ", timeout: timeout) else { return nil }
        let parts = line.split(separator: " ")
        guard parts.count >= 3, let port = UInt16(parts[1]) else { return nil }
        return (port, String(parts[2]))
    }

    /// Waits for the child to end and its pipes to reach end of file (so every byte it wrote has
    /// been read); its status, or nil if that has not happened within `timeout` seconds.
    public func waitForExit(timeout: Double = 20) -> Int32? {
        guard eventually(timeout: timeout, every: 0.01, { !process.isRunning && stdout.isClosed && stderr.isClosed }) else {
            return nil
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Sends `signal` to this child only (by pid) if it still runs.
    public func kill(_ signal: Int32 = SIGKILL) {
        if process.isRunning { _ = Glibc.kill(pid, signal) }
    }

    /// SIGTERM, then SIGKILL after `grace` seconds; waits for the child to be reaped.
    public func stop(grace: Double = 5) { ProcessRunner.stop(process, grace: grace) }

    /// SIGKILL at once, as a crash would; waits for the child to be reaped.
    public func crash() {
        guard process.isRunning else { return }
        kill(SIGKILL)
        process.waitUntilExit()
    }

    /// SIGKILL, then waits (at most 5 s) for the child to end and its output to close.
    public func terminate() {
        kill(SIGKILL)
        _ = waitForExit(timeout: 5)
    }
}
