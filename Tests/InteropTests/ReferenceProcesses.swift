import DHTRuntime
import Foundation
import ProcessLaunch

/// A long-running process that prints `READY <port> <id>` once it is up: a reference node
/// (`refnode.py`) or `dhtop node`. Stopped by pid: SIGTERM, then SIGKILL.
final class ReadyProcess {
    let process = Process()
    let stdout: OutputCollector
    let stderr: OutputCollector
    private(set) var port = 0
    private(set) var nodeID = ""
    let name: String

    init(name: String, executable: String, arguments: [String], readyTimeout: Double = 60) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = Interop.repoRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.runWithSignalsUnblocked()
        stdout = OutputCollector(out.fileHandleForReading)
        stderr = OutputCollector(err.fileHandleForReading)
        let deadline = Date().addingTimeInterval(readyTimeout)
        while Date() < deadline {
            if let line = stdout.snapshot.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }) {
                let parts = line.split(separator: " ")
                if parts.count >= 3, let p = Int(parts[1]) {
                    port = p
                    nodeID = String(parts[2])
                    return
                }
            }
            if !process.isRunning {
                throw HarnessError("\(name) exited with \(process.terminationStatus) before READY; stderr: \(stderr.snapshot.suffix(2000))")
            }
            usleep(20_000)
        }
        stop()
        throw HarnessError("\(name) printed no READY within \(readyTimeout) s; stderr: \(stderr.snapshot.suffix(2000))")
    }

    var address: String { "127.0.0.1:\(port)" }

    /// SIGTERM, then SIGKILL after `grace` seconds.
    func stop(grace: Double = 5) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGKILL at once, as a crash would.
    func crash() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop(grace: 2) }
}

/// Starting reference nodes and running the reference client.
enum Reference {
    /// One real BitDust node on 127.0.0.1:`port`.
    static func node(port: Int, seeds: [String] = [], extra: [String] = []) throws -> ReadyProcess {
        var args = [Interop.referenceDir.appendingPathComponent("refnode.py").path, "--port", String(port), "--host", "127.0.0.1"]
        for s in seeds { args += ["--seed", s] }
        return try ReadyProcess(name: "refnode:\(port)", executable: Interop.python, arguments: args + extra)
    }

    /// `count` reference nodes: the first is a genesis node (or joins `seeds`), the rest join it.
    static func network(_ count: Int, seeds: [String] = []) throws -> [ReadyProcess] {
        let base = Interop.freePorts(count)
        var nodes: [ReadyProcess] = []
        let first = try node(port: base, seeds: seeds)
        nodes.append(first)
        for i in 1..<count {
            nodes.append(try node(port: base + i, seeds: [first.address] + seeds))
        }
        return nodes
    }

    /// Runs `refclient.py` with `arguments`; prints one JSON object.
    static func client(_ arguments: [String], timeout: Double = 60) throws -> ProcessOutput {
        try runProcess(Interop.python, [Interop.referenceDir.appendingPathComponent("refclient.py").path, "--timeout", "30"] + arguments,
                       timeout: timeout)
    }
}

/// Running the `dhtop` binary.
enum Dhtop {
    /// `dhtop node` on 127.0.0.1 with a fresh data directory unless one is given.
    static func node(seeds: [String], dataDir: URL? = nil, port: Int? = nil, extra: [String] = []) throws -> ReadyProcess {
        let dir = dataDir ?? Interop.temporaryDirectory("node")
        var args = ["node", "--host", "127.0.0.1", "--port", String(port ?? Interop.freePorts(1)), "--data-dir", dir.path]
        if seeds.isEmpty { args += ["--seed", "genesis"] }
        for s in seeds { args += ["--seed", s] }
        return try ReadyProcess(name: "dhtop-node", executable: Interop.dhtop, arguments: args + extra)
    }

    static func run(_ arguments: [String], timeout: Double = 60) throws -> ProcessOutput {
        try runProcess(Interop.dhtop, arguments, timeout: timeout)
    }
}
