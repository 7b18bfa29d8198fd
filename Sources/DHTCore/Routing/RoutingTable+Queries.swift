import DHTWire

/// Read-only questions for lookups and refresh, plus refresh bookkeeping.
extension RoutingTable {
    /// The `count` live contacts closest to `target` by XOR distance, closest first, skipping
    /// `excluding`. Exact: every live contact is considered, not only one bucket's.
    public func closest(to target: NodeID, count: Int, excluding: Set<NodeID> = []) -> [Contact] {
        closest(to: target, count: count) { excluding.contains($0) }
    }

    /// `closest(to:count:excluding:)` skipping at most one id, without building a set.
    public func closest(to target: NodeID, count: Int, excludingID: NodeID?) -> [Contact] {
        guard let skip = excludingID else { return closest(to: target, count: count) { _ in false } }
        return closest(to: target, count: count) { $0 == skip }
    }

    /// Buckets are disjoint prefix ranges, so their XOR distances to `target` are disjoint
    /// ranges too: visiting buckets in the order of `(lower ^ target)` masked to their prefix
    /// visits contacts in blocks of increasing distance. Only the bucket that crosses `count`
    /// needs sorting beyond the order of the blocks; no bucket past it is read.
    @inline(__always)
    func closest(to target: NodeID, count: Int, skip: (NodeID) -> Bool) -> [Contact] {
        guard count > 0 else { return [] }
        let n = buckets.count
        return withUnsafeTemporaryAllocation(of: BucketOrder.self, capacity: n) { order in
            buckets.withUnsafeBufferPointer { b in
                // Fields read in place: copying a bucket would retain and release its arrays.
                for i in 0..<n {
                    order.initializeElement(at: i, to: BucketOrder(key: (b[i].lower ^ target).keepingPrefix(b[i].prefixLength), index: i))
                }
            }
            // Few buckets (at most 161): an insertion sort, no allocation.
            for i in 1..<max(n, 1) {
                let e = order[i]
                var j = i
                while j > 0, e.key < order[j - 1].key {
                    order[j] = order[j - 1]
                    j -= 1
                }
                order[j] = e
            }
            var out: [Contact] = []
            out.reserveCapacity(Swift.min(count, self.count))
            for o in 0..<n where out.count < count {
                let contacts = buckets[order[o].index].contacts
                let start = out.count
                for c in contacts where !skip(c.id) { out.append(c) }
                if out.count - start > 1 {
                    // Within one bucket the order is by distance.
                    out[start...].sort { ($0.id ^ target) < ($1.id ^ target) }
                }
            }
            if out.count > count { out.removeLast(out.count - count) }
            return out
        }
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

/// A bucket's place in the distance order of `closest`: the XOR of its prefix with the target.
struct BucketOrder {
    var key: NodeID
    var index: Int
}
