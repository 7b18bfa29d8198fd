import DHTRuntime
import Foundation
import TestKit

/// Which implementation a host runs.
enum NodeKind: String, Sendable {
    case dhtop, reference
}

/// One node process on one host, listening on the host's address and UDP 14441, with its
/// output and (for dhtop) its events in files of the network's run directory. Stopped by pid.
/// Not thread-safe; reads the wall clock for deadlines.
final class HostNode {
    let kind: NodeKind
    let host: Int
    let generation: Int
    let dataDirectory: URL
    let logFile: URL
    let eventsFile: URL
    private let child: ChildProcess
    private(set) var nodeID = ""

    init(kind: NodeKind, host: Int, network: HostNetwork, seeds: [String], generation: Int, wipe: Bool) throws {
        self.kind = kind
        self.host = host
        self.generation = generation
        let run = network.runDirectory
        dataDirectory = run.appendingPathComponent("h\(host)")
        logFile = run.appendingPathComponent("h\(host).g\(generation).log")
        eventsFile = run.appendingPathComponent("h\(host).g\(generation).events")
        if wipe { try? FileManager.default.removeItem(at: dataDirectory) }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: eventsFile.path, contents: nil)

        var args = ["netns", "exec", network.namespace(host)]
        switch kind {
        case .dhtop:
            args += [
                RepositoryPaths.dhtop, "node", "--host", network.address(host), "--port", String(HostNetwork.port),
                "--data-dir", dataDirectory.path, "--control-socket", run.appendingPathComponent("h\(host).sock").path,
                "--events", eventsFile.path
            ]
            args += seeds.isEmpty ? ["--seed", "genesis"] : seeds.flatMap { ["--seed", $0] }
        case .reference:
            args += [
                RepositoryPaths.python, RepositoryPaths.refnode,
                "--host", network.address(host), "--port", String(HostNetwork.port), "--data-dir", dataDirectory.path
            ]
            args += seeds.flatMap { ["--seed", $0] }
        }
        // Output into a file: children of `ip netns exec` may keep a pipe open.
        child = try ChildProcess(HostEnvironment.ip, args, logFile: logFile.path)
    }

    var isRunning: Bool { child.isRunning }
    var log: String { child.stdout.text }

    /// Waits for `READY <port> <id>`; throws with the log's tail when it exits or times out.
    func waitReady(timeout: Double) throws {
        guard let ready = child.waitForReady(timeout: timeout) else {
            throw HarnessError("\(kind) node on host \(host) printed no READY within \(timeout) s; log: \(log.suffix(1500))")
        }
        nodeID = ready.id
    }

    /// The addresses in this dhtop node's layer-0 routing table, from its events: a contact is in
    /// once added (or heard from) and out once evicted. Nil for a reference node.
    func contacts() -> Set<String>? {
        guard kind == .dhtop, let text = try? String(contentsOf: eventsFile, encoding: .utf8) else { return nil }
        var table = Set<String>()
        for line in text.split(separator: "\n") where line.contains("\"contact_") {
            guard let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                (obj["layer"] as? Int) == 0, let type = obj["type"] as? String, let address = obj["address"] as? String
            else { continue }
            switch type {
            case "contact_added", "contact_refreshed": table.insert(address)
            case "contact_evicted": table.remove(address)
            default: break
            }
        }
        return table
    }

    /// SIGTERM (a dhtop node saves its routing table), then SIGKILL after `grace` seconds.
    func stop(grace: Double = 5) { child.stop(grace: grace) }
}
