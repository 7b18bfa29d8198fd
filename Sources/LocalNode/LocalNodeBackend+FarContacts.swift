import DHTCore
import DHTWire
import Synchronization

extension LocalNodeBackend {
    /// The ids `learnFarContacts` looks up for `key`: the key with its first bit flipped, then
    /// its second, then both (the other half of the id space and the two other quarters).
    public static func farTargets(from key: NodeID) -> [NodeID] {
        ["8", "4", "c"].map { key ^ NodeID(hex: $0 + String(repeating: "0", count: 39))! }
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
