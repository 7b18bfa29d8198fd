import ArgumentParser
import DHTControl
import FoundationEssentials
#if canImport(Glibc)
    import Glibc
#endif

/// Where a running node's control socket is: `--socket`, else the path `dhtop node` would use
/// for `--port` and `--data-dir`. Shared by `status` and `attach`. A value type.
struct ControlSocketOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The node's control socket. Default: $XDG_RUNTIME_DIR/dhtop/PORT.sock, else DATA-DIR/control.sock, else (root or dhtop) /run/dhtop/PORT.sock.",
            valueName: "path"))
    var socket: String?

    @Option(parsing: .unconditional, help: "The node's UDP port, 0-65535 (to find its socket).")
    var port: Int = 14441

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("The node's data directory (to find its socket).", valueName: "path"))
    var dataDirectory: String?

    func validate() throws {
        try NumberCheck.check(port, "--port", 0...65535)
        if socket == nil && path == nil { throw ValidationError("cannot tell where the node's socket is; give --socket") }
    }

    /// `--socket`, else this user's default socket, else (root or `dhtop`) the systemd unit's.
    var path: String? {
        socket
            ?? ControlPaths.clientSocket(
                port: UInt16(clamping: port), dataDirectory: dataDirectory ?? NodeRunOptions.defaultDataDirectory(),
                environment: ProcessInfo.processInfo.environment,
                userName: getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) },
                uid: getuid(), exists: { FileManager.default.fileExists(atPath: $0) })
    }

    /// The socket to connect to, after root has become its owner (`ClientIdentity`).
    func connectPath() throws(ControlError) -> String {
        let path = path!
        try ClientIdentity.becomeOwner(of: path)
        return path
    }
}

/// `dhtop status [--json]`: one snapshot of a running node over its control socket, a
/// superset of BitDust's `network_status(dht=1)`. Exit 0 with the report; exit 1 with one line
/// when no node answers at the socket.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a running node's status (counters, layers, drops)."
    )

    @OptionGroup var where_: ControlSocketOptions

    @Flag(help: "Print one JSON object (BitDust's network_status(dht=1) shape plus extras).")
    var json = false

    func run() throws {
        let report: StatusReport
        switch Result(catching: { () throws(ControlError) in try where_.connectPath() }).flatMap(Self.fetch) {
        case .success(let r): report = r
        case .failure(let error):
            Output.fail(error.message)
            throw ExitCode(DHTop.failureStatus)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(report)
            Output.line(String(decoding: data, as: UTF8.self))
        } else {
            Output.line(report.text)
        }
    }

    /// Connects, asks for one report and disconnects.
    static func fetch(_ path: String) -> Result<StatusReport, ControlError> {
        let client: ControlClient
        switch Result(catching: { () throws(ControlError) in try ControlClient.connect(path: path) }) {
        case .success(let c): client = c
        case .failure(let e): return .failure(e)
        }
        let result = Result(catching: { () throws(ControlError) in try client.status() })
        client.close()
        return result
    }
}
