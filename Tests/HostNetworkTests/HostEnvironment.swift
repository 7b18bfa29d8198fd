import DHTRuntime
import Foundation
import ProcessLaunch

/// Where the harness finds its tools, and the checks that fail a test (never skip it) when the
/// machine cannot build hosts: root, `ip`, `nft`, the reference venv and the dhtop binary.
/// Reads no clock; thread-safe (constants only).
enum HostEnvironment {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let script = repoRoot.appendingPathComponent("scripts/netns-hosts").path
    static let referenceDir = repoRoot.deletingLastPathComponent().appendingPathComponent("shared/reference")

    static var python: String {
        let env = ProcessInfo.processInfo.environment["BITDUST_VENV"] ?? repoRoot.appendingPathComponent(".venv-bitdust").path
        return env + "/bin/python"
    }

    static var dhtop: String {
        if let bin = ProcessInfo.processInfo.environment["DHTOP_BIN"] { return bin }
        return repoRoot.appendingPathComponent(".build/debug/dhtop").path
    }

    /// The first executable called `name` on PATH (plus the sbin directories root uses).
    static func which(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Throws a message saying exactly what is missing; the test then fails with it.
    static func requirePrerequisites() throws {
        guard geteuid() == 0 else {
            throw HarnessError("the host-network tests need root (network namespaces, veth pairs, nftables); CI runs them as root: run scripts/test as root")
        }
        guard which("ip") != nil else { throw HarnessError("the host-network tests need iproute2: apt-get install iproute2 (scripts/test does)") }
        guard which("nft") != nil else { throw HarnessError("the host-network tests need nftables: apt-get install nftables (scripts/test does)") }
        guard FileManager.default.isExecutableFile(atPath: script) else { throw HarnessError("\(script) is missing or not executable") }
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw HarnessError("no reference venv at \(python): run bash ../shared/reference/setup.sh (scripts/test does)")
        }
        guard FileManager.default.isExecutableFile(atPath: dhtop) else {
            throw HarnessError("no dhtop binary at \(dhtop): run swift build first (scripts/test does)")
        }
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A finished process: exit status and its whole output.
struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as one JSON object.
    var json: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any]
    }
}

/// Runs a command to completion with its output in files, killing it (by pid) after `timeout`
/// seconds. Blocks the calling thread.
func runProcess(_ executable: String, _ arguments: [String], timeout: Double, scratch: URL) throws -> ProcessOutput {
    let out = scratch.appendingPathComponent("run-\(UUID().uuidString.prefix(8)).out")
    let err = out.appendingPathExtension("err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: err) }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.currentDirectoryURL = HostEnvironment.repoRoot
    p.standardOutput = try FileHandle(forWritingTo: out)
    p.standardError = try FileHandle(forWritingTo: err)
    p.standardInput = FileHandle.nullDevice
    try p.runWithSignalsUnblocked()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(10_000) }
    if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        throw HarnessError("\(arguments.suffix(6).joined(separator: " ")) timed out after \(timeout) s")
    }
    p.waitUntilExit()
    let text = { (u: URL) in (try? String(contentsOf: u, encoding: .utf8)) ?? "" }
    return ProcessOutput(status: p.terminationStatus, stdout: text(out), stderr: text(err))
}

/// Waits until `condition` holds, polling; false when `seconds` pass first.
func waitUntil(_ seconds: Double, every interval: Double = 0.5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        if try condition() { return true }
        if Date() >= deadline { return false }
        usleep(UInt32(interval * 1_000_000))
    }
}
