import NodeAPI
import DHTControl
import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// A genesis node on 127.0.0.1 with a control server on a fresh socket path, and a peer node
/// to generate traffic. Stop it with `stop()`. Every socket is local.
final class ControlFixture {
    let base: String
    let socketPath: String
    let node: DHTNode
    let peer: DHTNode
    let server: ControlServer

    init(
        snapshotInterval: Duration = .milliseconds(200), configure: (inout ControlServer.Configuration) -> Void = { _ in },
        snapshot: ((DHTNode) -> @Sendable () -> NodeSnapshot)? = nil
    ) async throws {
        // Under /tmp whatever $TMPDIR says: a socket path has at most 107 bytes.
        base = TemporaryDirectory.create("dhtopctl", under: "/tmp")
        chmod(base, 0o755)
        socketPath = base + "/run/ctl.sock"
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        node = try DHTNode(options: options)
        node.start()
        _ = await node.join()
        var peerOptions = options
        peerOptions.seeds = [Endpoint(address: Endpoint.loopback, port: node.port)]
        peer = try DHTNode(options: peerOptions)
        peer.start()
        _ = await peer.join()
        var config = ControlServer.Configuration(socketPath: socketPath)
        config.snapshotInterval = snapshotInterval
        config.version = "test"
        configure(&config)
        server = ControlServer(node: node, configuration: config, snapshot: snapshot?(node))
        try server.start()
    }

    var nodeEndpoint: Endpoint { Endpoint(address: Endpoint.loopback, port: node.port) }

    /// The peer pings the node; true on a pong.
    func pingFromPeer() async -> Bool {
        if case .pong = await peer.perform(.ping(nodeEndpoint, layer: 0)) { return true }
        return false
    }

    func stop() {
        server.stop()
        peer.stop()
        node.stop()
        TemporaryDirectory.remove(base)
    }
}

extension ControlClient {
    /// Reads messages until `match` returns a value (or the timeout passes).
    func waitFor<T>(timeoutMillis: Int32 = 5000, _ match: (ServerMessage) -> T?) throws -> T {
        let deadline = Date().addingTimeInterval(Double(timeoutMillis) / 1000)
        while Date() < deadline {
            if let found = match(try next(timeoutMillis: timeoutMillis)) { return found }
        }
        throw ControlError("timed out waiting")
    }

    func waitForSnapshot() throws -> NodeSnapshot {
        try waitFor { if case .snapshot(let s) = $0 { return s } else { return nil } }
    }

    func waitForEvents(where predicate: @escaping (NodeEvent) -> Bool) throws -> [NodeEvent] {
        try waitFor { m -> [NodeEvent]? in
            guard case .events(let timed) = m else { return nil }
            let e = timed.map(\.event)
            return e.contains(where: predicate) ? e : nil
        }
    }
}

func isServedPing(_ e: NodeEvent) -> Bool {
    if case .requestServed(let r) = e, r.method == "ping" { return true }
    return false
}
