import DHTRuntime
import Foundation
import ProcessLaunch
import Testing

/// Runs real processes for the interop tests: reference BitDust nodes from
/// `../shared/reference` and the `dhtop` binary. Everything binds 127.0.0.1. Not thread-safe:
/// one test at a time (the suites are serialized).
enum Interop {
    static let repoRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let shared = repoRoot.deletingLastPathComponent().appendingPathComponent("shared")
    static let referenceDir = shared.appendingPathComponent("reference")

    /// The venv made by `../shared/reference/setup.sh` (the test script runs it first).
    static var python: String {
        let env = ProcessInfo.processInfo.environment["BITDUST_VENV"] ?? repoRoot.appendingPathComponent(".venv-bitdust").path
        return env + "/bin/python"
    }

    static var dhtop: String {
        if let bin = ProcessInfo.processInfo.environment["DHTOP_BIN"] { return bin }
        return repoRoot.appendingPathComponent(".build/debug/dhtop").path
    }

    /// Fails the test with a clear reason when the reference venv or the binary is missing.
    static func requirePrerequisites() throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw HarnessError("no reference venv at \(python): run bash ../shared/reference/setup.sh from the repository root (scripts/test does)")
        }
        guard FileManager.default.isExecutableFile(atPath: dhtop) else {
            throw HarnessError("no dhtop binary at \(dhtop): run swift build first (scripts/test does)")
        }
    }

    /// A base port with `count` consecutive free UDP ports on 127.0.0.1.
    static func freePorts(_ count: Int) -> Int {
        while true {
            let base = Int.random(in: 20_000...39_000)
            if (base..<(base + count)).allSatisfy(isFree) { return base }
        }
    }

    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = UInt16(port).bigEndian
        sa.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        return withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("dhtop-\(name)-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The result of a finished process.
struct ProcessOutput {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as one JSON object.
    var json: [String: Any]? {
        guard let data = stdout.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

/// Runs a command to completion, killing it (by pid) after `timeout` seconds.
func runProcess(_ executable: String, _ arguments: [String], timeout: Double = 60, environment: [String: String] = [:]) throws -> ProcessOutput {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    p.currentDirectoryURL = Interop.repoRoot
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.runWithSignalsUnblocked()
    let outData = OutputCollector(out.fileHandleForReading)
    let errData = OutputCollector(err.fileHandleForReading)
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        throw HarnessError("\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.joined(separator: " ")) timed out after \(timeout) s; stderr: \(errData.text)")
    }
    p.waitUntilExit()
    return ProcessOutput(status: p.terminationStatus, stdout: outData.text, stderr: errData.text)
}

/// Reads a pipe to its end on a background thread.
final class OutputCollector: @unchecked Sendable {
    private var data = Data()
    private let lock = NSLock()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.lock(); data.append(chunk); lock.unlock()
            }
            done.signal()
        }
    }

    /// Everything read so far.
    var snapshot: String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Everything, once the writer closed the pipe (waits at most 5 s).
    var text: String {
        _ = done.wait(timeout: .now() + 5)
        return snapshot
    }
}

extension Interop {
    /// Whether `value` (from `dhtop --json`, where a stored JSON text is a JSON value) is the
    /// JSON document `text`.
    static func sameJSON(_ value: Any?, _ text: String) -> Bool {
        guard let value, let expected = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else { return false }
        func canonical(_ v: Any) -> Data? { try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) }
        return canonical(value) != nil && canonical(value) == canonical(expected)
    }
}
