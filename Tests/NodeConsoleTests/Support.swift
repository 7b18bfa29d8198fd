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
import TestKit

extension Loopback {
    /// A genesis node and `count - 1` nodes joined through it.
    static func network(_ count: Int) async throws -> [DHTNode] {
        let genesis = try node(validate: false)
        _ = await genesis.join()
        var nodes = [genesis]
        for _ in 1..<count {
            let n = try node(seeds: [endpoint(genesis)], validate: false)
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
