import DHTRuntime
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

extension ConsoleEndToEndTests {
    /// Two consoles attach to a headless node; one quits, the other hangs up; the node keeps
    /// serving throughout and `status` reads it.
    @Test func attachAndDetachWhileTheNodeKeepsServing() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = dir + "/ctl.sock"
        let (peer, node) = try HeadlessNode.attachablePair(in: dir, socket: socket)
        defer {
            node.stop()
            peer.stop()
        }
        let first = TUISession("attach-1"), second = TUISession("attach-2")
        defer {
            first.stop()
            second.stop()
        }
        try first.start(size: "80x24", [E2EPaths.dhtop, "attach", "--socket", socket])
        try second.start(size: "100x30", [E2EPaths.dhtop, "attach", "--socket", socket])
        Self.check(try first.wait("1 K-buckets"))
        Self.check(try second.wait("1 K-buckets"))
        // Commands typed in an attached console run on the node.
        try second.keys(":")
        try second.type("ping 127.0.0.1:\(peer.port)")
        try second.keys("Enter")
        Self.check(try second.wait("pong from"))

        try first.keys("q")
        #expect(try exitLine(first).contains("exited with status 0"))
        let ping = try runProgram(E2EPaths.dhtop, ["ping", "127.0.0.1:\(node.port)", "--timeout", "10"])
        #expect(ping.status == 0, "\(ping.stderr)")
        let running = try second.alive().stdout
        let pid = try #require(running.firstMatch(of: /pid (\d+)/).flatMap { Int32($0.1) }, "\(running)")
        kill(pid, SIGHUP)  // the SSH link dropping, for the console this test started
        _ = try exitLine(second)
        let status = try runProgram(E2EPaths.dhtop, ["status", "--socket", socket, "--json"])
        #expect(status.status == 0, "\(status.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        let dht = json?["dht"] as? [String: Any]
        #expect(dht?["udp_port"] as? Int == node.port)
        #expect(node.isRunning)
    }
}

/// A `dhtop node` started by a test, stopped by pid (SIGTERM, then SIGKILL).
final class HeadlessNode {
    let child: ChildProcess
    let port: Int

    init(_ arguments: [String], timeout: Double = 20) throws {
        child = try ChildProcess(RepositoryPaths.dhtop, arguments)
        guard let ready = child.waitForReady(timeout: timeout) else {
            child.stop()
            throw E2EError("dhtop node printed no READY: \(child.stdout.text) \(child.stderr.text)")
        }
        port = Int(ready.port)
    }

    var process: Process { child.process }
    var isRunning: Bool { child.isRunning }

    func stop() { child.stop() }

    /// A genesis peer and a node seeded by it that serves `socket`, data under `dir`: what a
    /// console attaches to.
    static func attachablePair(in dir: String, socket: String) throws -> (peer: HeadlessNode, node: HeadlessNode) {
        let peer = try HeadlessNode([
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis",
            "--data-dir", dir + "/peer", "--no-control-socket"
        ])
        do {
            let node = try HeadlessNode([
                "node", "--host", "127.0.0.1", "--port", "0", "--seed", "127.0.0.1:\(peer.port)",
                "--data-dir", dir + "/node", "--control-socket", socket
            ])
            return (peer, node)
        } catch {
            peer.stop()
            throw error
        }
    }
}
