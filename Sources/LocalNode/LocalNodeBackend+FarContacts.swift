import DHTCore
import DHTWire
import Synchronization

extension LocalNodeBackend {
    /// The ids `learnFarContacts` looks up for `key`: the key with its first bit flipped, then
    /// its second, then both (the other half of the id space and the two other quarters).
    public static func farTargets(from key: NodeID) -> [NodeID] {
        ["8", "4", "c"].map { key ^ NodeID(hex: $0 + String(repeating: "0", count: 39))! }
    }

    /// Runs `read` (a findValue); when it meets no copy, runs `learnFarContacts` and `read` once
    /// more. `completion` gets the last result and how many times `read` ran (1 or 2), on the
    /// node's queue.
    func findValueTwice(
        _ read: Operation, key: NodeID, layer: Int, completion: @escaping @Sendable (OperationResult, Int) -> Void
    ) {
        let node = self.node
        node.perform(read) { result in
            guard case .value(let found) = result, found.values.isEmpty else { return completion(result, 1) }
            self.learnFarContacts(from: key, layer: layer) { node.perform(read) { completion($0, 2) } }
        }
    }

    /// Runs findNode lookups for the three `farTargets` of `key` at once and calls `then` when
    /// all three are over, whatever their results: each answer adds live contacts of other parts
    /// of the network to the routing table, from which a lookup near the key can start again.
    /// `then` runs on the node's queue.
    func learnFarContacts(from key: NodeID, layer: Int, then: @escaping @Sendable () -> Void) {
        let targets = Self.farTargets(from: key)
        let left = Countdown(targets.count)
        for target in targets {
            node.perform(.findNode(target, layer: layer)) { _ in
                if left.tick() { then() }
            }
        }
    }
}

/// Counts finished tasks down to zero; `tick` is true for the last one only. Thread-safe.
final class Countdown: Sendable {
    private let left: Mutex<Int>

    init(_ count: Int) { left = Mutex(count) }

    /// Counts one task as finished; true when it was the last.
    func tick() -> Bool {
        left.withLock { n in
            n -= 1
            return n == 0
        }
    }
}
