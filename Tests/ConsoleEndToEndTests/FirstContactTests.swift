import DHTRuntime
import Foundation
import Testing
#if canImport(Glibc)
    import Glibc
#endif

extension ConsoleEndToEndTests {
    /// A console whose only seed does not resolve says so in its header and events — "alone",
    /// the DNS failure and the next attempt — and never claims to be attached; it keeps retrying.
    @Test func seedsThatDoNotResolveAreShownAsAloneAndRetried() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("first-contact")
        defer { tui.stop() }
        try tui.start(
            size: "120x30",
            [
                E2EPaths.dhtop, "--seed", "no-such-host.invalid:14441", "--data-dir", dir + "/node",
                "--port", "0", "--no-control-socket"
            ])
        Self.check(try tui.wait("L0 alone: 1 seed: 1 DNS failure; next attempt in"))
        // It tries again by itself (backoff from 1 s).
        Self.check(try tui.wait("attempt [3-9]", timeout: 30))
        let screen = try tui.screen()
        #expect(!screen.contains("L0 attached"), "\(screen)")
        #expect(!screen.contains("genesis"), "\(screen)")
        try tui.png("first-contact-dns-120x30.png")
    }

    /// A console started before its seed joins once the seed comes up (seeds are retried while
    /// the node is alone).
    @Test func aConsoleJoinsASeedThatComesUpLater() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let port = try Self.freeUDPPort()
        let tui = TUISession("late-seed")
        defer { tui.stop() }
        try tui.start(
            size: "120x30",
            [
                E2EPaths.dhtop, "--seed", "127.0.0.1:\(port)", "--data-dir", dir + "/console",
                "--port", "0", "--no-control-socket"
            ])
        Self.check(try tui.wait("L0 (alone|joining)"))
        let seed = try HeadlessNode([
            "node", "--host", "127.0.0.1", "--port", String(port), "--seed", "genesis",
            "--data-dir", dir + "/seed", "--no-control-socket"
        ])
        defer { seed.stop() }
        Self.check(try tui.wait("contacts 1 good", timeout: 60))
        Self.check(try tui.wait("L0 attached", timeout: 30))
    }

    /// A UDP port nothing listens on right now (bound to 0, read, released).
    static func freeUDPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw E2EError("socket: \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw E2EError("bind: \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
