import Foundation
import TestKit

// The helpers this target had before TestKit, under the same names, so that a file of this
// target uses them without importing TestKit.

/// Loopback nodes and temporary directories (TestKit's).
typealias Loopback = TestKit.Loopback

/// What a child wrote to one stream (TestKit's).
typealias CapturedOutput = TestKit.CapturedOutput

/// A `dhtop` child process with its output captured (TestKit's `ChildProcess` running the
/// binary under test). Kill it (by pid) in a `defer`.
typealias DhtopProcess = ChildProcess

/// The built `dhtop` executable: `$DHTOP_BIN`, else `.build/debug/dhtop`.
enum DhtopBinary {
    static var path: String { RepositoryPaths.dhtop }
}

extension ChildProcess {
    /// Starts `dhtop` with `arguments`.
    convenience init(_ arguments: [String]) throws {
        try self.init(RepositoryPaths.dhtop, arguments)
    }

    /// Runs `dhtop` to completion (killed after `timeout` s) and returns status (nil when it was
    /// killed at the deadline) and output.
    static func run(_ arguments: [String], timeout: Double = 25) throws -> (status: Int32?, stdout: String, stderr: String) {
        let r = try ProcessRunner.run(RepositoryPaths.dhtop, arguments, timeout: timeout)
        return (r.timedOut ? nil : r.status, r.stdout, r.stderr)
    }
}
