import DHTWire

/// Timeouts and explicit removal.
extension RoutingTable {
    /// An RPC to `id` timed out.
    ///
    /// * The pending head of a full bucket is evicted at once (`.headPingFailed`) and the best
    ///   replacement is promoted.
    /// * Another live contact is evicted when its consecutive failures reach
    ///   `configuration.maxFailures` (`.unresponsive`), a replacement taking its place; below that
    ///   the failure is only counted (`.failed`).
    /// * A cached candidate has its failures counted and is dropped at `maxFailures`.
    /// * An unknown id changes nothing.
    public mutating func recordFailure(id: NodeID, now: Timestamp) -> [RoutingChange] {
        var changes: [RoutingChange] = []
        let i = bucketIndex(for: id)
        if let p = buckets[i].index(of: id) {
            buckets[i].contacts[p].failures += 1
            let c = buckets[i].contacts[p]
            if buckets[i].pendingHeadPing == id {
                evict(id, reason: .headPingFailed, changes: &changes)
            } else if c.failures >= configuration.maxFailures {
                evict(id, reason: .unresponsive(failures: c.failures), changes: &changes)
            } else {
                changes.append(.failed(c, failures: c.failures))
            }
        } else if let r = buckets[i].replacementIndex(of: id) {
            buckets[i].replacements[r].failures += 1
            if buckets[i].replacements[r].failures >= configuration.maxFailures {
                let c = buckets[i].replacements.remove(at: r)
                changes.append(.droppedReplacement(c, bucket: i))
            }
        }
        return changes
    }

    /// The head ping requested by `.pingHead` timed out: the head is evicted and the best
    /// replacement promoted. Same as `recordFailure` for that id.
    public mutating func headPingFailed(id: NodeID, now: Timestamp) -> [RoutingChange] {
        recordFailure(id: id, now: now)
    }

    /// Removes `id` from the live table (promoting a replacement into its slot) or from the
    /// replacement cache. An unknown id changes nothing.
    public mutating func remove(id: NodeID) -> [RoutingChange] {
        var changes: [RoutingChange] = []
        let i = bucketIndex(for: id)
        if buckets[i].index(of: id) != nil {
            evict(id, reason: .removed, changes: &changes)
        } else if let r = buckets[i].replacementIndex(of: id) {
            let c = buckets[i].replacements.remove(at: r)
            changes.append(.droppedReplacement(c, bucket: i))
        }
        return changes
    }
}
