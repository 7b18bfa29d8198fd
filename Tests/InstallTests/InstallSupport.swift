import Foundation
import TestKit
import Testing

/// Runs the repository's scripts and tools for the install tests: the repository root, the
/// debug binary, temporary directories and child processes with captured output. Blocks while
/// a child runs (these suites are in scripts/test's serial phase); `run` reads the wall clock for its deadline.
enum Install {
    static var repo: URL { RepositoryPaths.rootURL }

    /// The debug build of dhtop that `swift build --build-tests` made.
    static var debugBinary: String { RepositoryPaths.debugDhtop }

    /// The repository's VERSION, trimmed.
    static func version() throws -> String {
        try String(contentsOf: repo.appendingPathComponent("VERSION"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func temporaryDirectory() throws -> String { TemporaryDirectory.create("dhtop-install") }

    typealias Result = ProcessResult

    /// Runs `arguments` (the first one looked up in PATH unless absolute) to completion in the
    /// repository, non-interactively for apt and dpkg; killed after `timeout` seconds.
    @discardableResult
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 3600) throws -> Result {
        try ProcessRunner.run(
            "/usr/bin/env", arguments, environment: environment.merging(["DEBIAN_FRONTEND": "noninteractive"]) { $1 },
            timeout: timeout
        )
        .requireFinished(arguments.joined(separator: " "))
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// Every path under `dir`, relative, sorted.
    static func tree(_ dir: String) -> [String] {
        (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? []).sorted()
    }
}
