import DHTControl
import Foundation
import TestKit
import Testing

/// `sudo dhtop status` against a node run by another user (as the unit runs it as `dhtop`): the
/// node admits only its own uid, so the root client must become the socket's owner first
/// (`ClientIdentity`). The node runs as uid 65534 here; the client is the debug binary as root.
@Suite(.serialized) struct ServiceAccessTests {
    @Test func rootReadsTheStatusOfANodeRunAsAnotherUser() throws {
        try #require(getuid() == 0, "this test runs a node as uid 65534 and needs root: run the suite as root, as CI does")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "/usr/bin/setpriv (util-linux) is missing")
        let tmp = try Install.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        chmod(tmp, 0o755)
        let home = tmp + "/node"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: false)
        chown(home, 65534, 65534)
        chmod(home, 0o700)
        let socket = home + "/run/14441.sock"

        let node = Process()
        node.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        node.arguments = [
            "--reuid=65534", "--regid=65534", "--clear-groups", Install.debugBinary, "node", "--port", "0",
            "--host", "127.0.0.1", "--seed", "genesis", "--data-dir", home + "/data", "--control-socket", socket
        ]
        node.environment = ["HOME": home, "PATH": "/usr/bin:/bin"]
        node.standardOutput = FileHandle.nullDevice
        node.standardError = FileHandle.nullDevice
        try node.run()
        defer {
            node.terminate()
            node.waitUntilExit()
        }
        // Wait (generously) for the node to listen on its socket.
        var waited = 0
        while !Install.exists(socket) && node.isRunning && waited < 60_000 {
            usleep(50_000)
            waited += 50
        }
        try #require(Install.exists(socket), "the node made no control socket (running: \(node.isRunning))")
        var st = stat()
        #expect(stat(socket, &st) == 0 && st.st_uid == 65534)

        let status = try Install.run([Install.debugBinary, "status", "--socket", socket, "--json"])
        #expect(status.status == 0, "\(status.both)")
        // setpriv execs the node, so the status comes from the very process started here.
        #expect(status.stdout.hasPrefix("{") && status.stdout.contains("\"pid\":\(node.processIdentifier),"), "\(status.stdout)")
    }
}
