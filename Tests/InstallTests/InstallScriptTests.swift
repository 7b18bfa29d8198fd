import DHTControl
import Foundation
import TestKit
import Testing

/// `scripts/install --binary … --prefix TMP` and `scripts/uninstall`: every file in its place,
/// the installed binary runs and reports VERSION, the man page is found, the bash completion
/// loads, and uninstall leaves nothing behind. With the debug binary: no release build here.
@Suite(.serialized) struct InstallScriptTests {
    @Test func installsIntoAPrefixAndUninstallsExactlyThat() throws {
        let tmp = try Install.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let prefix = tmp + "/prefix"
        // Something of the operator's in the prefix must survive the uninstall.
        try FileManager.default.createDirectory(atPath: prefix + "/share/man/man1", withIntermediateDirectories: true)
        try "keep".write(toFile: prefix + "/share/man/man1/other.1", atomically: true, encoding: .utf8)

        let install = try Install.run(["scripts/install", "--binary", Install.debugBinary, "--prefix", prefix])
        try #require(install.status == 0, "scripts/install failed: \(install.both)")
        for file in [
            "bin/dhtop", "share/man/man1/dhtop.1.gz", "share/bash-completion/completions/dhtop",
            "share/zsh/site-functions/_dhtop", "share/fish/vendor_completions.d/dhtop.fish",
            "share/dhtop/themes/dark.toml", "share/dhtop/themes/light.toml", "share/dhtop/install-manifest"
        ] {
            #expect(Install.exists(prefix + "/" + file), "missing \(file)")
        }
        #expect(FileManager.default.isExecutableFile(atPath: prefix + "/bin/dhtop"))

        let version = try Install.run([prefix + "/bin/dhtop", "--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "dhtop \(try Install.version())")

        let man = try Install.run(["man", "-w", "dhtop"], environment: ["MANPATH": prefix + "/share/man"])
        #expect(man.stdout.trimmingCharacters(in: .newlines) == prefix + "/share/man/man1/dhtop.1.gz", "\(man.both)")
        let page = try Install.run(["man", "-P", "cat", "dhtop"], environment: ["MANPATH": prefix + "/share/man", "MANWIDTH": "80"])
        #expect(page.stdout.contains("dhtop") && page.stdout.contains("status"), "\(page.both)")

        let completion = prefix + "/share/bash-completion/completions/dhtop"
        let bash = try Install.run(["bash", "-c", "source '\(completion)' && complete -p dhtop"])
        #expect(bash.status == 0 && bash.stdout.contains("-F _dhtop dhtop"), "\(bash.both)")
        let zsh = try String(contentsOfFile: prefix + "/share/zsh/site-functions/_dhtop", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef dhtop"))
        let fish = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/dhtop.fish", encoding: .utf8)
        #expect(fish.contains("complete -c 'dhtop'"))

        // A second install into the same prefix is merged into the manifest.
        let again = try Install.run(["scripts/install", "--binary", Install.debugBinary, "--prefix", prefix])
        try #require(again.status == 0, "\(again.both)")

        let uninstall = try Install.run(["scripts/uninstall", "--prefix", prefix])
        #expect(uninstall.status == 0, "\(uninstall.both)")
        #expect(Install.tree(prefix) == ["share", "share/man", "share/man/man1", "share/man/man1/other.1"])
        let twice = try Install.run(["scripts/uninstall", "--prefix", prefix])
        #expect(twice.status != 0 && twice.stderr.contains("nothing to uninstall"))
    }

    @Test func refusesABinaryOfAnotherVersion() throws {
        let tmp = try Install.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let fake = tmp + "/dhtop"
        try "#!/bin/sh\necho 0.0.0-other\n".write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        let result = try Install.run(["scripts/install", "--binary", fake, "--prefix", tmp + "/prefix"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("reports version '0.0.0-other'"), "\(result.both)")
        #expect(!Install.exists(tmp + "/prefix"))
    }
}
