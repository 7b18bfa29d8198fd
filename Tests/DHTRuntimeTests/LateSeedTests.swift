import DHTCore
import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// `dhtop node` whose only seed starts after it: it prints nothing on stdout while alone (the
/// attempts and their failures go to the log and `status`), keeps retrying, and prints READY once
/// the seed answers. Launches processes: serial phase.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct LateSeedTests {
    /// A UDP port free right now on 127.0.0.1.
    static func freePort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Int32 in
                guard bind(fd, p, len) == 0 else { return -1 }
                return getsockname(fd, p, &len)
            }
        }
        guard rc == 0 else { throw CocoaError(.fileReadUnknown) }
        return UInt16(bigEndian: sa.sin_port)
    }

    @Test func aNodeWhoseSeedStartsLaterJoinsAndOnlyThenPrintsReady() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let seedPort = try Self.freePort()
        let log = dir + "/node.log"
        let node = try DhtopProcess([
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "127.0.0.1:\(seedPort)",
            "--data-dir", dir + "/node", "--log-file", log, "--control-socket", dir + "/node.sock"
        ])
        defer { node.terminate() }
        // Alone: the failed attempts are logged and shown by status, never printed on stdout.
        let end = Date().addingTimeInterval(20)
        var status = ""
        while Date() < end {
            let run = try DhtopProcess.run(["status", "--json", "--socket", dir + "/node.sock"], timeout: 10)
            status = run.stdout
            let compact = status.replacingOccurrences(of: " ", with: "")
            if compact.contains("\"join\":\"alone\"") && compact.contains("\"no_answer\":1") { break }
            usleep(200_000)
        }
        #expect(status.replacingOccurrences(of: " ", with: "").contains("\"join\":\"alone\""), "status: \(status)")
        #expect(status.contains("alone: 1 seed: 1 no answer"), "status: \(status)")
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(logText.contains("alone: 1 seed: 1 no answer"), "log: \(logText)")
        #expect(!node.stdout.text.contains("READY"), "READY while alone: \(node.stdout.text)")
        #expect(node.stdout.text.isEmpty, "stdout while alone: \(node.stdout.text)")

        let started = Date()
        let seed = try DhtopProcess([
            "node", "--host", "127.0.0.1", "--port", String(seedPort), "--seed", "genesis",
            "--data-dir", dir + "/seed", "--no-control-socket"
        ])
        defer { seed.terminate() }
        _ = try #require(seed.waitForReady(timeout: 30), "no READY from the seed: \(seed.stderr.text)")
        let ready = try #require(node.waitForReady(timeout: 90), "the node never joined: \(node.stderr.text)")
        print("joined \(String(format: "%.1f", Date().timeIntervalSince(started))) s after the seed started (port \(ready.port))")
        let after = try DhtopProcess.run(["status", "--json", "--socket", dir + "/node.sock"], timeout: 10)
        #expect(after.stdout.replacingOccurrences(of: " ", with: "").contains("\"join\":\"joined\""), "status: \(after.stdout)")
    }
}
