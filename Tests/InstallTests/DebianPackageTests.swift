import DHTControl
import Foundation
import TestKit
import Testing

/// `scripts/build-deb` with the debug binary: the package's control fields and files, then —
/// as root — `apt-get install ./dhtop_VERSION_ARCH.deb`, `dhtop --version`, `man -w dhtop`, the
/// `dhtop` user made by postinst, `remove` (user kept) and `purge` (user gone).
@Suite(.serialized) struct DebianPackageTests {
    @Test func buildInspectInstallRemovePurge() throws {
        let version = try Install.version()
        let tmp = try Install.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        // A debug binary loads the toolchain's Swift runtime: refused without the flag that says so.
        let refused = try Install.run(["scripts/build-deb", "--binary", Install.debugBinary, "--out", tmp])
        #expect(refused.status != 0 && refused.stderr.contains("--allow-toolchain-runtime"), "\(refused.both)")

        let build = try Install.run(["scripts/build-deb", "--binary", Install.debugBinary, "--allow-toolchain-runtime", "--out", tmp])
        try #require(build.status == 0, "\(build.both)")
        let deb = build.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(deb == tmp + "/dhtop_\(version)_\(try arch()).deb")
        try #require(Install.exists(deb), "no package at \(deb)")

        let info = try Install.run(["dpkg-deb", "--info", deb])
        for field in ["Package: dhtop", "Version: \(version)", "Architecture: \(try arch())", "postinst", "postrm", "prerm"] {
            #expect(info.stdout.contains(field), "--info lacks \(field)")
        }
        let depends = try #require(info.stdout.split(separator: "\n").first { $0.hasPrefix(" Depends:") })
        for package in ["libsqlite3-0", "libncursesw6", "libc6", "passwd"] { #expect(depends.contains(package), "\(depends)") }
        let contents = try Install.run(["dpkg-deb", "--contents", deb]).stdout
        for path in [
            "./usr/bin/dhtop", "./usr/share/man/man1/dhtop.1.gz", "./usr/share/bash-completion/completions/dhtop",
            "./usr/share/zsh/vendor-completions/_dhtop", "./usr/share/fish/vendor_completions.d/dhtop.fish",
            "./lib/systemd/system/dhtop.service", "./usr/share/dhtop/themes/dark.toml", "./usr/share/doc/dhtop/copyright"
        ] {
            #expect(contents.contains(" \(path)\n"), "--contents lacks \(path)")
        }
        #expect(!contents.contains("install-manifest"))
        #expect(contents.split(separator: "\n").allSatisfy { $0.contains(" root/root ") })
        let unit = try Install.run(["sh", "-c", "dpkg-deb --fsys-tarfile '\(deb)' | tar -xOf - ./lib/systemd/system/dhtop.service"])
        #expect(unit.stdout.contains("\nExecStart=/usr/bin/dhtop node "), "\(unit.both)")

        try installAndRemove(deb, version: version)
    }

    /// Installing changes the machine: root only, and never over an installed dhtop or an
    /// existing dhtop user (the test would then remove the operator's).
    func installAndRemove(_ deb: String, version: String) throws {
        try #require(getuid() == 0, "installing the package needs root: run the suite as root, as CI does")
        try #require(
            try Install.run(["dpkg-query", "-W", "dhtop"]).status != 0,
            "dpkg knows a dhtop package on this machine; this test would remove it")
        try #require(
            try Install.run(["getent", "passwd", ControlPaths.serviceUser]).status != 0,
            "a dhtop user exists on this machine; this test's purge would remove it")
        defer { _ = try? Install.run(["dpkg", "--purge", "dhtop"]) }

        let install = try Install.run(["apt-get", "install", "-y", "--no-install-recommends", deb])
        try #require(install.status == 0, "\(install.both)")
        let reported = try Install.run(["/usr/bin/dhtop", "--version"])
        #expect(reported.status == 0 && reported.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "dhtop \(version)", "\(reported.both)")
        let man = try Install.run(["man", "-w", "dhtop"])
        #expect(man.stdout.trimmingCharacters(in: .newlines) == "/usr/share/man/man1/dhtop.1.gz", "\(man.both)")
        let user = try Install.run(["getent", "passwd", ControlPaths.serviceUser])
        #expect(user.status == 0 && user.stdout.hasSuffix(":/var/lib/dhtop:/usr/sbin/nologin\n"), "postinst made no dhtop user: \(user.both)")
        #expect(try Install.run(["getent", "group", ControlPaths.serviceUser]).status == 0)

        let remove = try Install.run(["apt-get", "remove", "-y", "dhtop"])
        #expect(remove.status == 0, "\(remove.both)")
        #expect(!Install.exists("/usr/bin/dhtop") && !Install.exists("/lib/systemd/system/dhtop.service"))
        #expect(try Install.run(["getent", "passwd", ControlPaths.serviceUser]).status == 0, "remove keeps the user (and its data)")

        let purge = try Install.run(["apt-get", "purge", "-y", "dhtop"])
        #expect(purge.status == 0, "\(purge.both)")
        #expect(try Install.run(["getent", "passwd", ControlPaths.serviceUser]).status != 0, "purge removes the user")
        #expect(try Install.run(["getent", "group", ControlPaths.serviceUser]).status != 0, "purge removes the group")
        #expect(try Install.run(["dpkg-query", "-W", "dhtop"]).status != 0)
    }

    func arch() throws -> String {
        try Install.run(["dpkg", "--print-architecture"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
