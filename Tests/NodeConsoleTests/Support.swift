import BitDustRecords
import ConsoleModel
import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import Foundation
import LocalNode
import NodeAPI
import NodeConsole
import Synchronization

/// Loopback nodes for the tests: 127.0.0.1, random port, no data directory, 2 s RPC timeout.
enum Loopback {
    static func node(seeds: [Endpoint] = [], validate: Bool = false) throws -> DHTNode {
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.seeds = seeds
        options.engine.rpcTimeout = .seconds(2)
        options.engine.validateStores = validate
        options.storeRule = BitDustStoreRule.rule
        let node = try DHTNode(options: options)
        node.start()
        return node
    }

    static func endpoint(_ node: DHTNode) -> Endpoint { Endpoint(address: Endpoint.loopback, port: node.port) }

    /// A genesis node and `count - 1` nodes joined through it.
    static func network(_ count: Int) async throws -> [DHTNode] {
        let genesis = try node()
        _ = await genesis.join()
        var nodes = [genesis]
        for _ in 1..<count {
            let n = try node(seeds: [endpoint(genesis)])
            _ = await n.join()
            nodes.append(n)
        }
        return nodes
    }
}

/// Collects what a backend or session reports. Thread-safe.
final class Collector<T: Sendable>: Sendable {
    private let items = Mutex<[T]>([])
    func add(_ item: T) { items.withLock { $0.append(item) } }
    var all: [T] { items.withLock { $0 } }
}

extension LocalNodeBackend {
    /// Runs one command on layer 0 and waits for its outcome; returns it with the progress lines.
    func outcome(_ command: NodeCommand) async -> (CommandOutcome, [String]) {
        let lines = Collector<String>()
        let outcome = await withCheckedContinuation { (c: CheckedContinuation<CommandOutcome, Never>) in
            run(command, layer: 0, progress: { lines.add($0) }, completion: { c.resume(returning: $0) })
        }
        return (outcome, lines.all)
    }
}

/// Polls `condition` every 50 ms until it holds or `seconds` pass; returns whether it held.
func eventually(_ seconds: Double = 10, _ condition: () -> Bool) async -> Bool {
    let end = Date().addingTimeInterval(seconds)
    while Date() < end {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return condition()
}
