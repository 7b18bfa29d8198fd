import Foundation

/// Where the tests find the repository and the tools next to it: the repository root (found
/// from this file's location), `../shared`, the debug `dhtop` binary, the reference venv's
/// python, the reference node and client scripts, and `tui-drive`. Constants and environment
/// reads only; thread-safe; reads no clock.
public enum RepositoryPaths {
    /// The repository root (`Tests/TestKit/` is two levels below it).
    public static let rootURL: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    public static var root: String { rootURL.path }

    /// `../shared`, next to the repository.
    public static let sharedURL = rootURL.deletingLastPathComponent().appendingPathComponent("shared")

    /// `../shared/reference`: the BitDust reference node and client.
    public static let referenceURL = sharedURL.appendingPathComponent("reference")

    public static var refnode: String { referenceURL.appendingPathComponent("refnode.py").path }
    public static var refclient: String { referenceURL.appendingPathComponent("refclient.py").path }

    /// `../shared/tools/tui-drive`.
    public static var tuiDrive: String { sharedURL.appendingPathComponent("tools/tui-drive").path }

    /// The debug build that `swift build` made, whatever `DHTOP_BIN` says.
    public static var debugDhtop: String { rootURL.appendingPathComponent(".build/debug/dhtop").path }

    /// The `dhtop` binary under test: `$DHTOP_BIN`, else the debug build.
    public static var dhtop: String { ProcessInfo.processInfo.environment["DHTOP_BIN"] ?? debugDhtop }

    /// The venv made by `../shared/reference/setup.sh`: `$BITDUST_VENV`, else `.venv-bitdust`
    /// in the repository.
    public static var venv: String {
        ProcessInfo.processInfo.environment["BITDUST_VENV"] ?? rootURL.appendingPathComponent(".venv-bitdust").path
    }

    /// The venv's python.
    public static var python: String { venv + "/bin/python" }

    /// The first executable called `name` on PATH (plus the sbin directories root uses).
    public static func which(_ name: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Throws (the test then fails with the reason, never skips) when the reference venv is missing.
    public static func requireReferenceVenv() throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw HarnessError("no reference venv at \(python): run bash ../shared/reference/setup.sh from the repository root (scripts/test does)")
        }
    }

    /// Throws when the `dhtop` binary under test is missing.
    public static func requireDhtop() throws {
        guard FileManager.default.isExecutableFile(atPath: dhtop) else {
            throw HarnessError("no dhtop binary at \(dhtop): run swift build first (scripts/test does)")
        }
    }
}

/// A test harness failure with a message saying what went wrong. A value type.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
