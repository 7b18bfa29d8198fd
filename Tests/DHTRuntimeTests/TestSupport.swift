import BitDustRecords
import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import ProcessLaunch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Test helpers: loopback nodes and temporary directories.
enum Loopback {
    /// A started node on 127.0.0.1 with a random port; `seeds` empty makes it a genesis node.
    static func node(seeds: [Endpoint] = [], layers: [Int] = [0], dataDirectory: String? = nil,
                     validate: Bool = true) throws -> DHTNode {
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.seeds = seeds
        options.layers = layers
        options.dataDirectory = dataDirectory
        options.engine.rpcTimeout = .seconds(2)
        options.engine.validateStores = validate
        options.storeRule = BitDustStoreRule.rule
        let node = try DHTNode(options: options)
        node.start()
        return node
    }

    static func endpoint(_ node: DHTNode) -> Endpoint { Endpoint(address: Endpoint.loopback, port: node.port) }

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory() -> String {
        var template = Array((NSTemporaryDirectory() + "/dhtop-test-XXXXXX").utf8CString)
        let path = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return String(cString: path!)
    }
}

/// Bytes collected from a pipe by a background reader, and whether the pipe has closed
/// (the writer and every copy of its end are gone). Thread-safe.
final class CapturedOutput: Sendable {
    private let state = Mutex<(bytes: [UInt8], closed: Bool)>(([], false))

    func append(_ data: Data) { state.withLock { $0.bytes.append(contentsOf: data) } }
    func close() { state.withLock { $0.closed = true } }
    var text: String { state.withLock { String(decoding: $0.bytes, as: UTF8.self) } }
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Reads `handle` on a thread of its own until end of file (every writer closed), then
    /// marks the output closed.
    func read(from handle: FileHandle) {
        let fd = handle.fileDescriptor
        Thread.detachNewThread { [self] in
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    state.withLock { $0.bytes.append(contentsOf: buffer[0..<n]) }
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            withExtendedLifetime(handle) {}
            close()
        }
    }
}

/// The built `dhtop` executable: `$DHTOP_BIN`, else `.build/debug/dhtop` above this file.
enum DhtopBinary {
    static var path: String {
        if let env = ProcessInfo.processInfo.environment["DHTOP_BIN"] { return env }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            let candidate = dir.appendingPathComponent(".build/debug/dhtop").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("dhtop").path
        return bundle
    }
}

/// One `dhtop` child process with its output captured. Kill it (by pid) in a `defer`.
final class DhtopProcess {
    let process = Process()
    let stdout = CapturedOutput()
    let stderr = CapturedOutput()

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: DhtopBinary.path)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        stdout.read(from: out.fileHandleForReading)
        stderr.read(from: err.fileHandleForReading)
        try process.runWithSignalsUnblocked()
    }

    var pid: Int32 { process.processIdentifier }

    /// Waits for a stdout line starting with `READY `; returns its port and node id.
    func waitForReady(timeout: Double = 15) -> (port: UInt16, id: String)? {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            for line in stdout.text.split(separator: "\n") where line.hasPrefix("READY ") {
                let parts = line.split(separator: " ")
                if parts.count == 3, let port = UInt16(parts[1]) { return (port, String(parts[2])) }
            }
            if !process.isRunning { return nil }
            usleep(20_000)
        }
        return nil
    }

    /// Waits for the process to end and both of its pipes to reach end of file (so every byte
    /// it wrote has been read); nil if that has not happened within `timeout` seconds.
    func waitForExit(timeout: Double = 20) -> Int32? {
        let end = Date().addingTimeInterval(timeout)
        while process.isRunning || !stdout.isClosed || !stderr.isClosed {
            if Date() >= end { return nil }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    /// Sends `signal` to this process only (by pid) if it still runs.
    func kill(_ signal: Int32 = SIGKILL) {
        if process.isRunning { _ = Glibc.kill(pid, signal) }
    }

    /// Kills the process and waits for it to be reaped.
    func terminate() {
        kill(SIGKILL)
        _ = waitForExit(timeout: 5)
    }

    /// Runs `dhtop` to completion (killed after `timeout` s) and returns status and output.
    static func run(_ arguments: [String], timeout: Double = 25) throws -> (status: Int32?, stdout: String, stderr: String) {
        let p = try DhtopProcess(arguments)
        defer { p.terminate() }
        let status = p.waitForExit(timeout: timeout)
        return (status, p.stdout.text, p.stderr.text)
    }
}
