import DHTRuntime
import Foundation
import TestKit

/// A long-running process that prints `READY <port> <id>` once it is up: a reference node
/// (`refnode.py`) or `dhtop node` (TestKit's `ChildProcess`). Stopped by pid: SIGTERM, then
/// SIGKILL, also when released.
final class ReadyProcess {
    let child: ChildProcess
    let port: Int
    let nodeID: String
    let name: String

    init(name: String, executable: String, arguments: [String], readyTimeout: Double = 60) throws {
        self.name = name
        child = try ChildProcess(executable, arguments)
        guard let ready = child.waitForReady(timeout: readyTimeout) else {
            let running = child.isRunning
            child.stop()
            throw HarnessError(
                "\(name) \(running ? "printed no READY within \(readyTimeout) s" : "exited with \(child.process.terminationStatus) before READY"); stderr: \(child.stderr.text.suffix(2000))"
            )
        }
        port = Int(ready.port)
        nodeID = ready.id
    }

    var address: String { "127.0.0.1:\(port)" }
    var stdout: CapturedOutput { child.stdout }
    var stderr: CapturedOutput { child.stderr }

    /// SIGTERM, then SIGKILL after `grace` seconds.
    func stop(grace: Double = 5) { child.stop(grace: grace) }

    /// SIGKILL at once, as a crash would.
    func crash() { child.crash() }
}

/// Starting reference nodes and running the reference client.
enum Reference {
    /// One real BitDust node on 127.0.0.1:`port`.
    static func node(port: Int, seeds: [String] = [], extra: [String] = []) throws -> ReadyProcess {
        var args = [RepositoryPaths.refnode, "--port", String(port), "--host", "127.0.0.1"]
        for s in seeds { args += ["--seed", s] }
        return try ReadyProcess(name: "refnode:\(port)", executable: RepositoryPaths.python, arguments: args + extra)
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
        try runProcess(
            RepositoryPaths.python, [RepositoryPaths.refclient, "--timeout", "30"] + arguments,
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
        return try ReadyProcess(name: "dhtop-node", executable: RepositoryPaths.dhtop, arguments: args + extra)
    }

    static func run(_ arguments: [String], timeout: Double = 60) throws -> ProcessOutput {
        try runProcess(RepositoryPaths.dhtop, arguments, timeout: timeout)
    }
}
