import Foundation
import TestKit

/// The netns script, and the checks that fail a test (never skip it) when the
/// machine cannot build hosts: root, `ip`, `nft`, the reference venv and the dhtop binary.
/// Reads no clock; thread-safe (constants only).
enum HostEnvironment {
    static let script = RepositoryPaths.rootURL.appendingPathComponent("scripts/netns-hosts").path

    /// `ip`, from PATH or the sbin directories.
    static var ip: String { RepositoryPaths.which("ip") ?? "/usr/sbin/ip" }

    /// Throws a message saying exactly what is missing; the test then fails with it.
    static func requirePrerequisites() throws {
        guard geteuid() == 0 else {
            throw HarnessError("the host-network tests need root (network namespaces, veth pairs, nftables); CI runs them as root: run scripts/test as root")
        }
        guard RepositoryPaths.which("ip") != nil else {
            throw HarnessError("the host-network tests need iproute2: apt-get install iproute2 (scripts/test does)")
        }
        guard RepositoryPaths.which("nft") != nil else {
            throw HarnessError("the host-network tests need nftables: apt-get install nftables (scripts/test does)")
        }
        guard FileManager.default.isExecutableFile(atPath: script) else { throw HarnessError("\(script) is missing or not executable") }
        try RepositoryPaths.requireReferenceVenv()
        try RepositoryPaths.requireDhtop()
    }
}

/// A finished process: exit status and its whole output.
typealias ProcessOutput = ProcessResult

/// Runs a command to completion with its output in files (`ip netns exec` children may keep
/// pipes open), killing it (by pid) after `timeout` seconds and then throwing. Blocks the
/// calling thread.
func runProcess(_ executable: String, _ arguments: [String], timeout: Double) throws -> ProcessOutput {
    try ProcessRunner.run(executable, arguments, timeout: timeout, outputToFiles: true)
        .requireFinished("\(arguments.suffix(6).joined(separator: " ")) (\(timeout) s)")
}
