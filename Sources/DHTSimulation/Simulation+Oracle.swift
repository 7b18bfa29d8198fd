import DHTCore
import DHTWire

/// What the simulation knows to be true, to measure the engines against: the k closest alive
/// nodes to a target, who holds a key, and the ideal get.
extension Simulation {
    /// The k closest alive nodes to `target` by XOR distance (ids, closest first), skipping
    /// `excluding` (a lookup never returns the node that runs it).
    func trueClosest(to target: NodeID, excluding: Int?, count: Int? = nil) -> [NodeID] {
        closestAlive(to: target, excluding: excluding, count: count ?? configuration.engine.k).map { nodes[$0].id }
    }

    /// Indexes of the `count` closest alive nodes to `target`, closest first.
    func closestAlive(to target: NodeID, excluding: Int?, count: Int) -> [Int] {
        var best: [(distance: NodeID, index: Int)] = []
        best.reserveCapacity(count + 1)
        for i in ids.indices where i != excluding {
            let d = ids[i] ^ target
            if best.count == count, let last = best.last, !(d < last.distance) { continue }
            guard isAlive(i) else { continue }
            var p = best.count
            while p > 0 && d < best[p - 1].distance { p -= 1 }
            best.insert((d, i), at: p)
            if best.count > count { best.removeLast() }
        }
        return best.map(\.index)
    }

    /// Whether node `i` is up and holds an unexpired copy of `key`.
    func holds(_ i: Int, _ key: NodeID) -> Bool {
        guard let engine = nodes[i].engine, let r = engine.record(layer: 0, key: key.hexUTF8) else { return false }
        return r.expiresAt > now / 1_000_000_000
    }

    /// The ideal get of `key` from `asker`: one round trip to the nearest (by RTT) alive holder
    /// among the 2k closest alive nodes to the key; nil when none of them holds it.
    func idealGet(from asker: Int, key: NodeID) -> Int64? {
        var best: Int64?
        for i in closestAlive(to: key, excluding: nil, count: 2 * configuration.engine.k) where holds(i, key) {
            let rtt = i == asker ? 0 : latency.rtt(asker, i)
            if best == nil || rtt < best! { best = rtt }
        }
        return best
    }

    /// After the run: the churn stops; every stored key that should still live is read once
    /// from a random alive node, and its copies on alive nodes are counted.
    func finalCheck() {
        agenda = EventHeap()
        let margin = configuration.expireSeconds * 1_000_000_000 - 300_000_000_000
        let live = keys.indices.filter { keys[$0].ok && now - keys[$0].storedAt < margin }
        metrics.keysChecked = live.count
        var index: [[UInt8]: Int] = [:]
        for j in live { index[keys[j].key.hexUTF8] = j }
        var copies = [Int](repeating: 0, count: keys.count)
        for i in nodes.indices {
            guard let engine = nodes[i].engine else { continue }
            for r in engine.records(layer: 0) where r.expiresAt > now / 1_000_000_000 {
                if let j = index[r.key] { copies[j] += 1 }
            }
        }
        metrics.copies = live.map { copies[$0] }
        for j in live { get(final: true, key: j) }
        advance(through: now + 120_000_000_000) { finalOutstanding > 0 }
    }

    /// Every alive node's network-size estimate.
    func sizeEstimates() -> [NetworkSizeEstimate] {
        nodes.indices.filter(isAlive).compactMap { nodes[$0].engine?.networkSizeEstimate(layer: 0) }
    }

    /// Alive nodes now.
    public var aliveCount: Int { nodes.indices.lazy.filter(isAlive).count }
}
