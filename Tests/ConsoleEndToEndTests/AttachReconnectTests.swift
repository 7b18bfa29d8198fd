import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

extension ConsoleEndToEndTests {
    /// The node behind `dhtop attach` stops: the header says `detached: …` at once (and no
    /// longer a live layer state), the node's panes are marked stale, commands fail with the
    /// reason; the node comes back on the same socket and data directory, and the console
    /// reattaches by itself and shows live data again.
    @Test func attachReattachesWhenTheNodeComesBack() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = dir + "/ctl.sock"
        let args = [
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir + "/node",
            "--control-socket", socket
        ]
        var node = try HeadlessNode(args)
        defer { node.stop() }
        let tui = TUISession("reattach")
        defer { tui.stop() }
        try tui.start(size: "100x30", [E2EPaths.dhtop, "attach", "--socket", socket])
        Self.check(try tui.wait("1 K-buckets"))
        Self.check(try tui.wait("L0 (attached|joined|alone)"))
        Self.check(try tui.wait("STALE", absent: true))

        node.stop()  // SIGTERM, by pid: the node this test started
        Self.check(try tui.wait("detached: the node closed the connection"))
        Self.check(try tui.wait("STALE"))
        let detached = try tui.screen()
        #expect(!detached.contains("L0 attached"), "a live layer state beside detached:\n\(detached)")
        try tui.png("attach-detached-100x30.png")
        try tui.type(":find abc")
        try tui.keys("Enter")
        Self.check(try tui.wait("find abc: detached from the node"))

        node = try HeadlessNode(args)  // the same socket and data directory
        // Retries start at 1 s and double: the node is back within a few of them.
        Self.check(try tui.wait("attached again to the node \\(pid \(node.process.processIdentifier)\\)", timeout: 40))
        Self.check(try tui.wait("STALE", absent: true))
        Self.check(try tui.wait("detached:", absent: true))
        // A fresh snapshot: the header shows the restarted node's new port.
        Self.check(try tui.wait("127\\.0\\.0\\.1:\(node.port) "))
        try tui.png("attach-reattached-100x30.png")
        #expect(try tui.alive().status == 0)
    }

    /// The console's embedded node opens a control socket, as `dhtop node` does: `dhtop status`
    /// reads it and a second console attaches while the first runs; `--no-control-socket` turns
    /// it off.
    @Test func theConsolesNodeHasAControlSocket() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = dir + "/control.sock"  // the default: DATA-DIR/control.sock without XDG_RUNTIME_DIR
        let console = TUISession("ctl-console")
        defer { console.stop() }
        try console.start(size: "100x30", env: ["XDG_RUNTIME_DIR="], Self.console(dir, nodes: 2))
        Self.check(try console.wait("joined through 2 seeds"))
        let screen = try console.screen()
        let port = try #require(screen.firstMatch(of: /127\.0\.0\.1:(\d+)/).flatMap { Int($0.1) }, "no address in the header")

        let status = try runProgram(E2EPaths.dhtop, ["status", "--socket", socket, "--json"], environment: ["XDG_RUNTIME_DIR": ""])
        #expect(status.status == 0, "\(status.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any]
        #expect((json?["dht"] as? [String: Any])?["udp_port"] as? Int == port)
        #expect(json?["version"] as? String == Self.versionNumber())
        let text = try runProgram(E2EPaths.dhtop, ["status", "--data-dir", dir, "--port", String(port)], environment: ["XDG_RUNTIME_DIR": ""])
        #expect(text.status == 0 && text.stdout.hasPrefix("dhtop \(Self.versionNumber()) (pid "), "\(text.stdout) \(text.stderr)")

        let second = TUISession("ctl-attach")
        defer { second.stop() }
        try second.start(size: "80x24", [E2EPaths.dhtop, "attach", "--socket", socket])
        Self.check(try second.wait("1 K-buckets"))
        Self.check(try second.wait("127\\.0\\.0\\.1:\(port)"))
        try second.keys("q")
        #expect(try exitLine(second).contains("exited with status 0"))
        try console.keys("q")
        #expect(try exitLine(console).contains("exited with status 0"))
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket is removed when the console exits")

        let off = TUISession("ctl-off")
        defer { off.stop() }
        let offDir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: offDir) }
        try off.start(size: "100x30", env: ["XDG_RUNTIME_DIR="], Self.console(offDir, nodes: 2, ["--no-control-socket"]))
        Self.check(try off.wait("joined through 2 seeds"))
        #expect(!FileManager.default.fileExists(atPath: offDir + "/control.sock"))
    }

    /// Two `dhtop --sandbox 8` runs in a row with the default data directory: the second starts
    /// from a fresh private directory (removed at exit), so it shows no timeouts from the first
    /// run's ports.
    @Test func aSecondSandboxRunShowsNoTimeoutsFromTheFirst() throws {
        let home = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let tmp = home + "/tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        let env = ["HOME=\(home)", "XDG_DATA_HOME=", "XDG_RUNTIME_DIR=", "TMPDIR=\(tmp)"]
        for run in 1...2 {
            let tui = TUISession("sandbox-run-\(run)")
            defer { tui.stop() }
            try tui.start(size: "120x30", env: env, [E2EPaths.dhtop, "--sandbox", "8"])
            Self.check(try tui.wait("joined through 8 seeds"))
            let dirs = try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0.hasPrefix("dhtop-sandbox-") }
            #expect(dirs.count == 1, "one private directory while running: \(dirs)")
            // The join is over: a timeout of the join would be counted by now.
            Self.check(try tui.wait("timeouts (-|0%)"))
            let screen = try tui.screen()
            #expect(screen.firstMatch(of: #/L\d+ timeout /#) == nil, "run \(run):\n\(screen)")
            if run == 2 { try tui.png("sandbox-second-run-120x30.png") }
            try tui.keys("q")
            #expect(try exitLine(tui).contains("exited with status 0"))
            let left = try FileManager.default.contentsOfDirectory(atPath: tmp).filter { $0.hasPrefix("dhtop-sandbox-") }
            #expect(left.isEmpty, "the private directory is removed at exit: \(left)")
        }
        #expect(!FileManager.default.fileExists(atPath: home + "/.local/share/dhtop"), "the default data directory is not used")
    }

    /// `dhtop --version`'s number ("dhtop 0.1.0" → "0.1.0").
    static func versionNumber() -> String {
        let run = try? runProgram(E2EPaths.dhtop, ["--version"])
        return run?.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ").last.map(String.init) ?? "?"
    }
}
