import DHTControl
import Foundation
import TestKit
import Testing

/// The systemd unit: installed by `scripts/install --service` with ExecStart pointing at the
/// installed binary and the `dhtop` user created (and removed again by uninstall), accepted by
/// `systemd-analyze verify`, and carrying the hardening and the socket path the code expects.
@Suite(.serialized) struct ServiceUnitTests {
    static let unitFile = Install.repo.appendingPathComponent("contrib/dhtop.service").path

    /// The unit's `Key=value` lines, in order.
    static func directives(_ text: String) -> [(key: String, value: String)] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let eq = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<eq]), String(line[line.index(after: eq)...]))
        }
    }

    @Test func theUnitIsHardenedAndMatchesTheCode() throws {
        let text = try String(contentsOfFile: Self.unitFile, encoding: .utf8)
        let lines = Self.directives(text)
        func values(_ key: String) -> [String] { lines.filter { $0.key == key }.map(\.value) }
        for (key, value) in [
            ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("PrivateTmp", "yes"),
            ("PrivateDevices", "yes"), ("RestrictAddressFamilies", "AF_INET AF_INET6 AF_UNIX"),
            ("SystemCallFilter", "@system-service"), ("Restart", "on-failure"), ("MemoryMax", "320M"),
            ("User", ControlPaths.serviceUser), ("Group", ControlPaths.serviceUser), ("RuntimeDirectory", "dhtop"),
            ("StateDirectory", "dhtop")
        ] {
            #expect(values(key).contains(value), "\(key)=\(value) missing: \(values(key))")
        }
        #expect(!values("StartLimitBurst").isEmpty && !values("StartLimitIntervalSec").isEmpty, "Restart needs a start limit")
        // The socket the node is told to use is the one status/attach fall back to.
        let exec = try #require(values("ExecStart").first)
        #expect(exec.hasPrefix("/usr/local/bin/dhtop node "))
        #expect(exec.contains("--control-socket \(ControlPaths.serviceSocket(port: 14441))"))
        #expect(exec.contains("--port 14441"))
        // Every hardening directive is documented: a comment is the line before it or before
        // the run of directives it belongs to.
        let all = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let hardening = all.drop { !$0.hasPrefix("# --- Hardening") }
        var commented = false
        for line in hardening {
            if line.hasPrefix("#") {
                commented = true
                continue
            }
            if line.isEmpty || line.hasPrefix("[") { break }
            #expect(commented, "undocumented: \(line)")
        }
        #expect(hardening.count > 20)
    }

    /// Needs root (it creates and removes the `dhtop` user) and systemd-analyze (scripts/test
    /// installs systemd): anywhere else it fails with the reason rather than pass unchecked.
    @Test func installWithServiceAndVerifyWithSystemd() throws {
        try #require(getuid() == 0, "installing the service creates the dhtop user and needs root: run the suite as root, as CI does")
        try #require(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze"),
            "systemd-analyze is missing: install systemd (scripts/test does)")
        let userBefore = try Install.run(["getent", "passwd", ControlPaths.serviceUser]).status == 0
        let tmp = try Install.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let prefix = tmp + "/prefix", units = tmp + "/units"
        let install = try Install.run(["scripts/install", "--binary", Install.debugBinary, "--prefix", prefix, "--service", "--unit-dir", units])
        try #require(install.status == 0, "\(install.both)")
        let unit = try String(contentsOfFile: units + "/dhtop.service", encoding: .utf8)
        #expect(unit.contains("\nExecStart=\(prefix)/bin/dhtop node "))
        let user = try Install.run(["getent", "passwd", ControlPaths.serviceUser])
        #expect(user.status == 0 && user.stdout.contains(":/var/lib/dhtop:/usr/sbin/nologin"), "\(user.both)")
        let manifest = try String(contentsOfFile: prefix + "/share/dhtop/install-manifest", encoding: .utf8)
        #expect(manifest.contains("unit \(units)/dhtop.service"))
        #expect(manifest.contains("user dhtop") == !userBefore)

        // systemd's own check: syntax, every directive known, ExecStart executable, man:dhtop(1) found.
        let verify = try Install.run(
            ["systemd-analyze", "verify", units + "/dhtop.service"],
            environment: ["MANPATH": prefix + "/share/man"])
        #expect(verify.status == 0, "systemd-analyze verify: \(verify.both)")
        let security = try Install.run(["systemd-analyze", "security", "--offline=yes", "--threshold=20", units + "/dhtop.service"])
        #expect(security.status == 0, "\(security.both)")
        #expect(security.both.contains("Overall exposure level for dhtop.service"), "\(security.both)")

        let uninstall = try Install.run(["scripts/uninstall", "--prefix", prefix])
        #expect(uninstall.status == 0, "\(uninstall.both)")
        #expect(!Install.exists(units + "/dhtop.service"))
        #expect(!Install.exists(prefix))
        #expect((try Install.run(["getent", "passwd", ControlPaths.serviceUser]).status == 0) == userBefore)
    }
}
