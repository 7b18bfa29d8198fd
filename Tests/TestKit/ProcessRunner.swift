import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// A finished child process: how it ended and everything it wrote. A value type.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// True when the runner killed it at its deadline.
    public var timedOut: Bool

    /// stdout then stderr.
    public var both: String { stdout + stderr }

    /// This result, or a `HarnessError` naming `what` and quoting stderr when the runner had to
    /// kill the child at its deadline.
    public func requireFinished(_ what: @autoclosure () -> String) throws -> ProcessResult {
        guard timedOut else { return self }
        throw HarnessError("\(what()) timed out; stderr: \(stderr.suffix(2000))")
    }

    /// stdout parsed as one JSON object.
    public var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }
}

/// Runs a program to completion with its output captured. Blocks the calling thread; reads the
/// wall clock for the deadline.
public enum ProcessRunner {
    /// Runs `path` with `arguments` (environment: this process's, overridden by `environment`;
    /// working directory: `directory`, the repository root by default), no signal blocked.
    /// stdout and stderr go to pipes read to end of file on threads of their own, or to files
    /// when `outputToFiles` (for children that leave descendants holding the pipes, such as
    /// `ip netns exec`). At `timeout` seconds the child gets SIGTERM, then SIGKILL `grace`
    /// seconds later (by pid), and the result says `timedOut`.
    public static func run(
        _ path: String, _ arguments: [String], environment: [String: String] = [:],
        directory: String? = RepositoryPaths.root, timeout: Double = 60, grace: Double = 2,
        outputToFiles: Bool = false
    ) throws -> ProcessResult {
        let scratch = outputToFiles ? TemporaryDirectory.create("dhtop-run") : nil
        defer { scratch.map(TemporaryDirectory.remove) }
        let (process, out, err) = try launch(
            path, arguments, environment: environment, directory: directory,
            output: scratch.map { .files(stdout: $0 + "/out", stderr: $0 + "/err") } ?? .pipes)
        let deadline = Date().addingTimeInterval(timeout)
        let finished = eventually(timeout: timeout, every: 0.01) { !process.isRunning && out.isClosed && err.isClosed }
        var timedOut = false
        if !finished && process.isRunning {
            timedOut = true
            stop(process, grace: grace)
        }
        process.waitUntilExit()
        // The child is gone; a descendant may still hold a pipe: wait for its end no longer
        // than the deadline (plus a moment for the kill to take effect).
        _ = eventually(timeout: max(1, deadline.timeIntervalSinceNow)) { out.isClosed && err.isClosed }
        return ProcessResult(status: process.terminationStatus, stdout: out.text, stderr: err.text, timedOut: timedOut)
    }

    /// SIGTERM to `process` (by pid), then SIGKILL if it still runs `grace` seconds later; waits
    /// for it to be reaped.
    public static func stop(_ process: Process, grace: Double) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        if !eventually(timeout: grace, every: 0.01, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
        }
        process.waitUntilExit()
    }
}
