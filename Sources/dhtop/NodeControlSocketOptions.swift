import ArgumentParser
import DHTControl
import DHTRuntime
import FoundationEssentials

/// `--control-socket PATH` / `--no-control-socket`, shared by the console (its embedded node) and
/// `dhtop node`. A value type.
struct NodeControlSocketOptions: ParsableArguments {
    @Option(
        name: .customLong("control-socket"),
        help: ArgumentHelp(
            "The node's control socket for dhtop status and attach. Default: $XDG_RUNTIME_DIR/dhtop/PORT.sock, else DATA-DIR/control.sock.",
            valueName: "path"))
    var controlSocket: String?

    @Flag(name: .customLong("no-control-socket"), help: "Do not open a control socket.")
    var noControlSocket = false

    func validate() throws {
        if controlSocket != nil && noControlSocket { throw ValidationError("--control-socket and --no-control-socket exclude each other") }
    }

    /// The socket path for `node`, or nil with `--no-control-socket`.
    func path(for node: DHTNode) -> String? {
        guard !noControlSocket else { return nil }
        return controlSocket
            ?? ControlPaths.defaultSocket(
                port: node.port, dataDirectory: node.options.dataDirectory, environment: ProcessInfo.processInfo.environment)
    }
}
