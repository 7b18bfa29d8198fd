import DHTRuntime
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

extension ConsoleEndToEndTests {
    /// `dhtop attach --read-only`: `delete` and `set` typed at the prompt are refused by the
    /// console, and the node still holds the key afterwards; without `--read-only` the same
    /// delete goes through the console backend and removes it.
    @Test func readOnlyConsoleRefusesDeleteAtThePrompt() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = dir + "/ctl.sock"
        let node = try HeadlessNode([
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--no-validate",
            "--data-dir", dir + "/node", "--control-socket", socket
        ])
        defer { node.stop() }
        let seed = ["--seed", "127.0.0.1:\(node.port)", "--timeout", "15"]
        let set = try runProgram(E2EPaths.dhtop, ["set", "ro-key", "{\"type\":\"x\"}"] + seed, timeout: 30)
        #expect(set.status == 0, "\(set.stdout) \(set.stderr)")
        let keyHex = try #require(
            try runProgram(E2EPaths.dhtop, ["get", "ro-key", "--json"] + seed, timeout: 30)
                .stdout.firstMatch(of: /"key_hash":"([0-9a-f]{40})"/).map { String($0.1) })

        let ro = TUISession("read-only")
        defer { ro.stop() }
        try ro.start(size: "100x30", [E2EPaths.dhtop, "attach", "--socket", socket, "--read-only"])
        Self.check(try ro.wait("1 K-buckets"))
        try ro.keys(":")
        try ro.type("delete --raw-key \(keyHex)")
        try ro.keys("Enter")
        Self.check(try ro.wait("read-only mode: set and delete are disabled"))
        try ro.keys("q")
        _ = try exitLine(ro)
        let still = try runProgram(E2EPaths.dhtop, ["get", "ro-key"] + seed, timeout: 30)
        #expect(still.status == 0, "the key is gone after a read-only delete: \(still.stdout) \(still.stderr)")

        // The same delete from a console that is not read-only reaches the node.
        let rw = TUISession("read-write")
        defer { rw.stop() }
        try rw.start(size: "100x30", [E2EPaths.dhtop, "attach", "--socket", socket])
        Self.check(try rw.wait("1 K-buckets"))
        try rw.keys(":")
        try rw.type("delete --raw-key \(keyHex)")
        try rw.keys("Enter")
        // The status line is cut before " node" at 100 columns (it ends in "L: log").
        Self.check(try rw.wait("deleted \(keyHex.prefix(12)) from this"))
        try rw.keys("q")
        _ = try exitLine(rw)
        let gone = try runProgram(E2EPaths.dhtop, ["get", "ro-key", "--json"] + seed, timeout: 30)
        #expect(gone.status == 1, "a console delete did not remove the key: \(gone.stdout)")
    }
}
