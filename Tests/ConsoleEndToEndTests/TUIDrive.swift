import DHTRuntime
import Foundation
import TestKit
#if canImport(Glibc)
    import Glibc
#endif

/// Paths of the things the end-to-end tests drive (TestKit's `RepositoryPaths`).
enum E2EPaths {
    static var repo: String { RepositoryPaths.root }
    static var tuiDrive: String { RepositoryPaths.tuiDrive }
    static var dhtop: String { RepositoryPaths.dhtop }
    static let pngDirectory = RepositoryPaths.root + "/.build/e2e-png"

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory() -> String { TemporaryDirectory.create("dhtop-e2e") }

    /// The XDG config and state directories every console under test gets unless a test sets
    /// its own: the user's real preferences, themes and history are never read or written.
    static let xdgHome = TemporaryDirectory.create("dhtop-e2e-xdg")
}

/// What a finished child process printed. A value type.
typealias RunResult = ProcessResult

/// Runs a program to completion in the repository, killing it (by pid) after `timeout` seconds.
func runProgram(
    _ path: String, _ arguments: [String], environment: [String: String] = [:],
    timeout: Double = 20
) throws -> RunResult {
    try ProcessRunner.run(path, arguments, environment: environment, timeout: timeout)
}

/// One program running under `tui-drive` in its own tmux server (socket prefix unique to the
/// test). Always `stop()` it in a `defer`.
struct TUISession {
    let name: String
    let prefix: String

    init(_ name: String) {
        self.name = name
        self.prefix = "dhtop-e2e-\(getpid())"
    }

    @discardableResult
    func drive(_ arguments: [String], timeout: Double = 30) throws -> RunResult {
        try runProgram(E2EPaths.tuiDrive, arguments, environment: ["TUI_DRIVE_SOCKET": prefix], timeout: timeout)
    }

    /// Starts `command` at `size` (`80x24`) with extra environment variables. `NO_COLOR` is
    /// cleared unless `env` sets it (the test runner may export it); `XDG_CONFIG_HOME` and
    /// `XDG_STATE_HOME` point into `E2EPaths.xdgHome` unless `env` sets them.
    func start(size: String, env: [String] = [], _ command: [String]) throws {
        var args = ["start", name, "--size", size]
        let xdg = ["XDG_CONFIG_HOME=\(E2EPaths.xdgHome)/config", "XDG_STATE_HOME=\(E2EPaths.xdgHome)/state"]
        for e in ["NO_COLOR="] + xdg + env { args += ["--env", e] }
        let r = try drive(args + ["--"] + command)
        if r.status != 0 { throw E2EError("tui-drive start failed: \(r.stderr)") }
    }

    /// Waits for `regex` (Python syntax, multiline) on the screen; returns the failure text or nil.
    func wait(_ regex: String, timeout: Double = 15, absent: Bool = false) throws -> String? {
        var args = ["wait", name, regex, "--timeout", String(timeout)]
        if absent { args.append("--absent") }
        let r = try drive(args, timeout: timeout + 10)
        return r.status == 0 ? nil : "wait \(regex): \(r.stderr)\n\(r.stdout)"
    }

    func screen(ansi: Bool = false) throws -> String {
        try drive(["screen", name] + (ansi ? ["--ansi"] : [])).stdout
    }

    func keys(_ keys: String...) throws { try drive(["keys", name] + keys) }
    func type(_ text: String) throws { try drive(["type", name, text]) }
    func resize(_ size: String) throws { try drive(["resize", name, size]) }

    /// `tui-drive alive`: status 0 while running; its line says how the program ended.
    func alive() throws -> RunResult { try drive(["alive", name]) }

    /// Saves a PNG of the screen into `.build/e2e-png/`. Throws when it cannot (pyte or Pillow
    /// missing: `scripts/test` installs python3-pyte and python3-pil).
    func png(_ file: String) throws {
        try FileManager.default.createDirectory(atPath: E2EPaths.pngDirectory, withIntermediateDirectories: true)
        let path = E2EPaths.pngDirectory + "/" + file
        // Debian's python3-pyte and python3-pil install into the system interpreter, which may
        // not be the first python3 on PATH (pyenv): run tui-drive's png with it.
        let python = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") ? "/usr/bin/python3" : "/usr/bin/env"
        let args = (python == "/usr/bin/env" ? ["python3"] : []) + [E2EPaths.tuiDrive, "png", name, path]
        let r = try runProgram(python, args, environment: ["TUI_DRIVE_SOCKET": prefix], timeout: 30)
        guard r.status == 0, FileManager.default.fileExists(atPath: path) else {
            throw E2EError("tui-drive png \(file) failed (status \(r.status)): \(r.stderr)")
        }
    }

    /// The pane's title as tmux tracks it (changed by OSC 0/2 sequences).
    func paneTitle() throws -> String {
        let r = try runProgram(
            "/usr/bin/env",
            [
                "tmux", "-L", "\(prefix)-\(name)", "-f", "/dev/null",
                "display-message", "-p", "-t", "=\(name):", "#{pane_title}"
            ])
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the program and its tmux server.
    func stop() { _ = try? drive(["stop", name]) }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
