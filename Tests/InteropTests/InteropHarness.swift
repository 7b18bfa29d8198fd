import DHTRuntime
import Foundation
import TestKit
import Testing

/// Runs real processes for the interop tests: reference BitDust nodes from
/// `../shared/reference` and the `dhtop` binary. Everything binds 127.0.0.1. Not thread-safe:
/// one test at a time (the suites are serialized).
enum Interop {
    /// Fails the test with a clear reason when the reference venv or the binary is missing.
    static func requirePrerequisites() throws {
        try RepositoryPaths.requireReferenceVenv()
        try RepositoryPaths.requireDhtop()
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

    static func temporaryDirectory(_ name: String) -> URL { TemporaryDirectory.createURL("dhtop-\(name)") }
}

/// The result of a finished process.
typealias ProcessOutput = ProcessResult

/// Runs a command to completion in the repository; throws when it had to be killed (by pid)
/// after `timeout` seconds.
func runProcess(_ executable: String, _ arguments: [String], timeout: Double = 60, environment: [String: String] = [:]) throws -> ProcessOutput {
    try ProcessRunner.run(executable, arguments, environment: environment, timeout: timeout)
        .requireFinished("\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.joined(separator: " ")) (\(timeout) s)")
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
