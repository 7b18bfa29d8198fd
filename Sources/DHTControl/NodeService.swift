import NodeAPI
import DHTRuntime
import Logging

/// What `dhtop node` runs beside the node: the control socket and, when asked, the metrics
/// endpoint. Started after `DHTNode.start`, stopped before `DHTNode.stop`.
///
/// Contract: thread-safe; `stop` is idempotent and leaves the node running. The servers run on
/// their own queues (see `ControlServer`, `MetricsServer`).
public final class NodeService: Sendable {
    /// What to start. A value type.
    public struct Options: Sendable {
        /// nil: no control socket.
        public var controlSocket: String?
        /// nil: no metrics endpoint (the default).
        public var metricsPort: UInt16?
        public var version: String
        public init(controlSocket: String?, metricsPort: UInt16?, version: String = DHTopVersion.number) {
            self.controlSocket = controlSocket
            self.metricsPort = metricsPort
            self.version = version
        }
    }

    public let control: ControlServer?
    public let metrics: MetricsServer?

    private init(control: ControlServer?, metrics: MetricsServer?) {
        self.control = control
        self.metrics = metrics
    }

    /// Starts what `options` asks for; `backend` and `snapshot` default to this module's
    /// stand-ins (pass NodeConsole's when available).
    public static func start(
        node: DHTNode, options: Options, logger: Logger, backend: (any NodeBackend)? = nil,
        snapshot: (@Sendable () -> NodeSnapshot)? = nil
    ) throws(ControlError) -> NodeService {
        var control: ControlServer?
        if let path = options.controlSocket {
            var config = ControlServer.Configuration(socketPath: path)
            config.version = options.version
            let server = ControlServer(node: node, configuration: config, backend: backend, snapshot: snapshot)
            try server.start()
            logger.info("control socket \(path) (dhtop attach / dhtop status)")
            control = server
        }
        var metrics: MetricsServer?
        if let port = options.metricsPort {
            let statusSource = control ?? ControlServer(node: node, configuration: .init(socketPath: "-"), backend: backend, snapshot: snapshot)
            do {
                let server = try MetricsServer(port: port) { PrometheusText.render(statusSource.status()) }
                server.start()
                logger.info("metrics on http://127.0.0.1:\(server.port)/metrics")
                metrics = server
            } catch {
                control?.stop()
                throw error
            }
        }
        return NodeService(control: control, metrics: metrics)
    }

    public func stop() {
        metrics?.stop()
        control?.stop()
    }
}

extension LoggingSystem {
    /// Installs the service handler for every logger: to `file` (logfmt, rotated) when given,
    /// else to `fd` in `format`.
    public static func bootstrapService(format: LogFormat, level: Logger.Level, fd: Int32, file: RotatingLogFile?) {
        let sink: any LogSink = file ?? StreamLogSink(fd: fd)
        let chosen = file == nil ? format : .logfmt
        bootstrap { label in ServiceLogHandler(label: label, format: chosen, sink: sink, level: level) }
    }
}
