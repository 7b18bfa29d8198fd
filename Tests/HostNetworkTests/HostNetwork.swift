import Foundation
import TestKit

/// N hosts, each a network namespace with its own address on a private bridge
/// (`scripts/netns-hosts`), and the nodes running on them. Every node listens on 10.231.0.x:14441
/// with dhtop's rate limit on (no source is loopback). `down()` (also run by `deinit`) stops every
/// node by pid and deletes the namespaces and the run directory, so a failing test leaves nothing
/// behind; the first network of a test process also removes the leftovers of killed runs. Not
/// thread-safe: one test at a time (the suite is serialized). Reads the wall clock for deadlines.
final class HostNetwork {
    static let port = 14441
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made = 0

    let name: String
    let count: Int
    let runDirectory: URL
    private(set) var nodes: [Int: HostNode] = [:]
    private var isDown = false

    init(hosts: Int) throws {
        try HostEnvironment.requirePrerequisites()
        let serial = Self.lock.withLock {
            Self.made += 1
            return Self.made
        }
        if serial == 1 { _ = try Self.script(["clean"]) }
        name = "dhtop-\(getpid())-\(serial)"
        count = hosts
        let out = try Self.script(["up", name, String(hosts)])
        runDirectory = URL(fileURLWithPath: out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    deinit { down() }

    /// Stops every node (SIGTERM, then SIGKILL) and removes namespaces and files. Idempotent.
    /// With `DHTOP_HOSTNET_KEEP=DIR` in the environment the run directory (node logs, events,
    /// `clients.log`) is first copied to DIR/NAME, to read after a failure.
    func down() {
        guard !isDown else { return }
        isDown = true
        for node in nodes.values { node.stop(grace: 3) }
        if let keep = ProcessInfo.processInfo.environment["DHTOP_HOSTNET_KEEP"], !keep.isEmpty {
            let to = URL(fileURLWithPath: keep).appendingPathComponent(name)
            try? FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.copyItem(at: runDirectory, to: to)
        }
        _ = try? Self.script(["down", name])
    }

    /// The last client run logged (what `logClient` wrote), for a failing expectation's message.
    var lastClientRun: String {
        let text = (try? String(contentsOf: runDirectory.appendingPathComponent("clients.log"), encoding: .utf8)) ?? ""
        guard let start = text.range(of: "--- host", options: .backwards) else { return "" }
        return String(text[start.lowerBound...].prefix(2_000))
    }

    /// Appends one client run (host, command, status, output) to `clients.log` in the run
    /// directory, so that a failing test's run can be read back (`DHTOP_HOSTNET_KEEP`).
    func logClient(host: Int, _ arguments: [String], _ out: ProcessOutput) {
        let args = arguments.map { $0.hasPrefix("/") ? URL(fileURLWithPath: $0).lastPathComponent : $0 }
        let entry = "--- host \(host) [\(Date())]: \(args.joined(separator: " ")) -> \(out.status)\n\(out.stdout)\(out.stderr)\n"
        let file = runDirectory.appendingPathComponent("clients.log")
        if let handle = try? FileHandle(forWritingTo: file) {
            handle.seekToEndOfFile()
            handle.write(Data(entry.utf8))
            try? handle.close()
        } else {
            try? Data(entry.utf8).write(to: file)
        }
    }

    func address(_ host: Int) -> String { "10.231.0.\(10 + host)" }
    func endpoint(_ host: Int) -> String { "\(address(host)):\(Self.port)" }
    func namespace(_ host: Int) -> String { "\(name)-h\(host)" }

    // MARK: Conditions

    /// Host `host` drops `percent`% of the UDP datagrams it receives, at random.
    func loss(_ host: Int, percent: Int) throws { _ = try Self.script(["loss", name, String(host), String(percent)]) }

    /// The hosts of `a` and of `b` lose each other until `heal()`.
    func partition(_ a: [Int], _ b: [Int]) throws {
        _ = try Self.script(["partition", name, a.map(String.init).joined(separator: ","), b.map(String.init).joined(separator: ",")])
    }

    func heal() throws { _ = try Self.script(["heal", name]) }

    // MARK: Nodes

    /// Starts a node on `host` (replacing a stopped one) without waiting for READY.
    @discardableResult
    func launch(_ kind: NodeKind, on host: Int, seeds: [String], wipe: Bool = false) throws -> HostNode {
        if let old = nodes[host] { old.stop(grace: 3) }
        let node = try HostNode(kind: kind, host: host, network: self, seeds: seeds, generation: (nodes[host]?.generation ?? 0) + 1, wipe: wipe)
        nodes[host] = node
        return node
    }

    /// Starts `kinds[i]` on host i+1 one after another, each waiting for READY: host 1 begins
    /// the network, the others join through hosts 1 and 2 — a network started warm.
    func startWarm(_ kinds: [NodeKind]) throws {
        for (i, kind) in kinds.enumerated() {
            let host = i + 1
            let seeds = host == 1 ? [] : (host == 2 ? [endpoint(1)] : [endpoint(1), endpoint(2)])
            try launch(kind, on: host, seeds: seeds).waitReady(timeout: 60)
        }
    }

    /// Alternating reference and dhtop nodes: odd hosts reference, even hosts dhtop.
    static func mixed(_ n: Int) -> [NodeKind] { (1...n).map { $0 % 2 == 1 ? .reference : .dhtop } }

    /// Runs `arguments` inside host `host`'s namespace.
    /// Logged in `clients.log`.
    func run(on host: Int, _ executable: String, _ arguments: [String], timeout: Double) throws -> ProcessOutput {
        let out = try runProcess(HostEnvironment.ip, ["netns", "exec", namespace(host), executable] + arguments, timeout: timeout)
        logClient(host: host, [executable] + arguments, out)
        return out
    }

    @discardableResult
    private static func script(_ arguments: [String]) throws -> ProcessOutput {
        let out = try runProcess("/bin/bash", [HostEnvironment.script] + arguments, timeout: 60)
        guard out.status == 0 else {
            throw HarnessError("netns-hosts \(arguments.joined(separator: " ")) failed (\(out.status)): \(out.stderr)")
        }
        return out
    }
}
