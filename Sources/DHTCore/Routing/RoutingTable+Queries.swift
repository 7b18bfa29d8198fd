import DHTWire

/// Read-only questions for lookups and refresh, plus refresh bookkeeping.
extension RoutingTable {
    /// The `count` live contacts closest to `target` by XOR distance, closest first, skipping
    /// `excluding`. Exact: every live contact is considered, not only one bucket's.
    public func closest(to target: NodeID, count: Int, excluding: Set<NodeID> = []) -> [Contact] {
        guard count > 0 else { return [] }
        var candidates: [(distance: NodeID, contact: Contact)] = []
        candidates.reserveCapacity(self.count)
        for bucket in buckets {
            for c in bucket.contacts where !excluding.contains(c.id) {
                candidates.append((c.id ^ target, c))
            }
        }
        candidates.sort { $0.distance < $1.distance }
        return candidates.prefix(count).map(\.contact)
    }

    /// Indexes of the buckets not changed for at least `olderThan` (candidates for a refresh
    /// lookup of a random id in their range), in ascending order.
    public func staleBuckets(now: Timestamp, olderThan: Duration) -> [Int] {
        buckets.indices.filter { now - buckets[$0].lastChanged >= olderThan }
    }

    /// A uniformly random id inside bucket `index`'s range.
    public func randomID(inBucket index: Int, random: RandomSource) -> NodeID {
        let b = buckets[index]
        return b.lower.replacingSuffix(after: b.prefixLength, with: random.nodeID())
    }

    /// Records that bucket `index` was refreshed (a lookup in its range was run) at `now`.
    public mutating func markRefreshed(bucket index: Int, now: Timestamp) {
        buckets[index].lastChanged = now
    }

    /// The contacts of `closest(to:count:excluding:)` as wire triples for `layer`.
    public func closestTriples(
        to target: NodeID, count: Int, layer: Int,
        excluding: Set<NodeID> = []
    ) -> [ContactTriple] {
        closest(to: target, count: count, excluding: excluding).map {
            ContactTriple(id: $0.id, endpoint: $0.endpoint, layer: layer)
        }
    }
}
