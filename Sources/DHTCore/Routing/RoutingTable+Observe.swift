import DHTWire

/// Learning about peers from the messages they send.
extension RoutingTable {
    /// Records that `id` at `endpoint` sent us an accepted non-QUESTION message (a request, or a
    /// reply to our RPC when `isReply`, with its round-trip time `rtt`).
    ///
    /// * A live contact moves to the tail of its bucket; its endpoint is updated (and any other
    ///   contact or candidate at that endpoint is dropped); a reply resets its failures. If it was
    ///   the pending head, the head ping is resolved (it is alive).
    /// * A new id whose endpoint belongs to a live contact replaces that contact
    ///   (`.evicted(old, .replacedByNewID)`), without any ping.
    /// * A new id goes into its bucket if there is room; a full bucket containing our own id
    ///   splits (repeatedly if needed); otherwise the newcomer waits in the replacement cache and
    ///   the head is pinged, unless a head ping is already pending or the head was seen within
    ///   `headPingGrace`.
    /// * Our own id is ignored.
    public mutating func observe(
        id: NodeID, endpoint: Endpoint, now: Timestamp,
        isReply: Bool, rtt: Duration?
    ) -> [RoutingChange] {
        var previousSeen: Timestamp?
        return observe(id: id, endpoint: endpoint, now: now, isReply: isReply, rtt: rtt, previousSeen: &previousSeen)
    }

    /// `observe`, also telling when a live contact `id` was seen before this message (nil for
    /// a newcomer): the engine's one search of the table per message.
    mutating func observe(
        id: NodeID, endpoint: Endpoint, now: Timestamp,
        isReply: Bool, rtt: Duration?, previousSeen: inout Timestamp?
    ) -> [RoutingChange] {
        guard id != ownID else { return [] }
        var changes: [RoutingChange] = []
        let home = bucketIndex(for: id)
        if let p = buckets[home].index(of: id) {
            previousSeen = buckets[home].contacts[p].lastSeen
            refreshKnown(id: id, bucket: home, position: p, endpoint: endpoint, now: now, isReply: isReply, rtt: rtt, changes: &changes)
            return changes
        }

        // A newcomer to the live table, possibly already waiting in the cache.
        var newcomer: Contact
        // Endpoints are unique across the table: a candidate cached at this very endpoint was
        // the only entry there, so no other cached candidate can claim it.
        var cachedHere = false
        if let r = buckets[home].replacementIndex(of: id) {
            newcomer = buckets[home].replacements.remove(at: r)
            cachedHere = newcomer.endpoint == endpoint
        } else {
            newcomer = Contact(id: id, endpoint: endpoint, seen: now)
        }
        newcomer.endpoint = endpoint
        newcomer.lastSeen = now
        if isReply { Self.applyReply(to: &newcomer, now: now, rtt: rtt) }

        if !cachedHere { dropReplacements(at: endpoint, keeping: id, changes: &changes) }
        var vacated: NodeID?
        if let oldID = endpointIndex[endpoint] {
            // A restarted peer with a fresh id: replace the old contact instead of pinging it.
            let (old, i) = detachContact(oldID)
            changes.append(.evicted(old, bucket: i, reason: .replacedByNewID))
            vacated = oldID
        }
        insert(newcomer, now: now, changes: &changes)
        if let v = vacated {
            fillFromReplacements(bucket: bucketIndex(for: v), changes: &changes)
        }
        return changes
    }

    /// The head ping requested by `.pingHead` was answered: the head is refreshed as a reply
    /// (moves to the tail, failures reset) and the newcomer stays in the cache.
    public mutating func headPingAnswered(id: NodeID, now: Timestamp, rtt: Duration? = nil) -> [RoutingChange] {
        guard let c = contact(id) else { return [] }
        return observe(id: id, endpoint: c.endpoint, now: now, isReply: true, rtt: rtt)
    }

    // MARK: - Helpers

    static func applyReply(to c: inout Contact, now: Timestamp, rtt: Duration?) {
        c.lastReply = now
        c.failures = 0
        if let rtt { c.rtt = rtt }
    }

    /// Moves live contact `id` (at `position` of bucket `bucket`) to the tail of its bucket and
    /// updates what we know of it.
    private mutating func refreshKnown(
        id: NodeID, bucket: Int, position: Int, endpoint: Endpoint, now: Timestamp, isReply: Bool,
        rtt: Duration?, changes: inout [RoutingChange]
    ) {
        var i = bucket
        var p = position
        let endpointChanged = buckets[i].contacts[p].endpoint != endpoint
        if endpointChanged {
            // The address now belongs to this id: anyone else claiming it is stale.
            dropReplacements(at: endpoint, keeping: id, changes: &changes)
            if let other = endpointIndex[endpoint], other != id {
                evict(other, reason: .replacedByNewID, changes: &changes)
            }
            i = bucketIndex(for: id)
            p = buckets[i].index(of: id)!
        }
        var c = buckets[i].contacts.remove(at: p)
        if endpointChanged {
            if endpointIndex[c.endpoint] == id { endpointIndex[c.endpoint] = nil }
            c.endpoint = endpoint
            endpointIndex[endpoint] = id
        }
        c.lastSeen = now
        if isReply { Self.applyReply(to: &c, now: now, rtt: rtt) }
        buckets[i].contacts.append(c)
        buckets[i].lastChanged = now
        if buckets[i].pendingHeadPing == id { buckets[i].clearPendingHeadPing() }
        changes.append(.refreshed(c, bucket: i, endpointChanged: endpointChanged))
    }

    /// Places a contact that is not live: in its bucket, after splits, or in the cache.
    private mutating func insert(_ c: Contact, now: Timestamp, changes: inout [RoutingChange]) {
        while true {
            let i = bucketIndex(for: c.id)
            if buckets[i].contacts.count < k {
                appendContact(c, bucket: i)
                buckets[i].lastChanged = now
                changes.append(.added(c, bucket: i))
                return
            }
            if buckets[i].contains(ownID), buckets[i].canSplit {
                splitBucket(i, now: now, changes: &changes)
                continue
            }
            cacheReplacement(c, bucket: i, changes: &changes)
            considerHeadPing(bucket: i, now: now, changes: &changes)
            return
        }
    }

    /// Asks for a ping of the head of full bucket `i`, unless one is pending (and not timed out)
    /// or the head was seen within `headPingGrace`.
    private mutating func considerHeadPing(bucket i: Int, now: Timestamp, changes: inout [RoutingChange]) {
        guard buckets[i].contacts.count >= k, !buckets[i].replacements.isEmpty,
            let head = buckets[i].head
        else { return }
        if buckets[i].pendingHeadPing != nil {
            if let since = buckets[i].pendingHeadPingSince, now - since < headPingTimeout { return }
            buckets[i].clearPendingHeadPing()
        }
        guard now - head.lastSeen >= headPingGrace else { return }
        buckets[i].pendingHeadPing = head.id
        buckets[i].pendingHeadPingSince = now
        changes.append(.pingHead(head, bucket: i))
    }
}
