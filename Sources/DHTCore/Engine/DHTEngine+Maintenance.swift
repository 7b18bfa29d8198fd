import DHTWire

extension DHTEngine {
    /// Runs at most once per `maintenanceInterval` (a second): fragment expiry, record expiry, republish (queued at each
    /// sweep, started a few a tick), bucket refresh
    /// and the saving of each layer's nodeState record.
    func runMaintenance(now: Timestamp) {
        nextMaintenance = now + configuration.maintenanceInterval
        let expired = reassembler.expire(now: now)
        if expired > 0 { counters.dropped["bad_frame", default: 0] += expired }
        if now >= nextExpirySweep {
            nextExpirySweep = now + configuration.expirySweepInterval
            sweepExpired(now: now)
            queueDueRepublishes(now: now)
        }
        startQueuedRepublishes(now: now)
        if now - lastRefreshCheck >= configuration.refreshCheckInterval {
            lastRefreshCheck = now
            refreshStaleBuckets(now: now)
            checkNeighbours(now: now)
            for layer in layerIDs { saveNodeState(layer: layer, now: now) }
        }
    }

    /// Deletes records whose lifetime has passed (`now - originallyPublished > expireSeconds`,
    /// computed without overflow), except nodeState. Unlike BitDust, a genesis node expires
    /// records too. Our own publications end at the same time: they are never extended.
    func sweepExpired(now: Timestamp) {
        let nodeStateKey = DHTKey.nodeState.hexUTF8
        let t = now.unixSeconds
        var changes: [StorageChange] = []
        for layer in layerIDs {
            guard let ctx = layers[layer] else { continue }
            // Most sweeps find nothing: look without copying every record, and not at all
            // before the first record held can have expired.
            let recordsMayExpire = t >= ctx.records.expiryHint
            guard
                recordsMayExpire && ctx.records.values.contains(where: { $0.key != nodeStateKey && $0.isExpired(at: t) })
                    || ctx.published.values.contains(where: { $0.isExpired(at: t) })
            else {
                if recordsMayExpire { ctx.records.refreshExpiryHint() }
                continue
            }
            let dead = ctx.records.values.filter { $0.key != nodeStateKey && $0.isExpired(at: t) }
            for record in dead {
                ctx.records.removeValue(forKey: record.key)
                changes.append(.delete(layer: layer, key: record.key))
                emit(.valueExpired(layer: layer, keyText: record.keyText))
            }
            for record in ctx.published.values where record.isExpired(at: t) {
                ctx.published.removeValue(forKey: record.key)
                changes.append(.deletePublished(layer: layer, key: record.key))
            }
            ctx.records.refreshExpiryHint()
        }
        if !changes.isEmpty { effects.append(.persist(changes, then: [])) }
    }

    /// Looks up a random id in every bucket not touched for `bucketRefreshInterval`.
    func refreshStaleBuckets(now: Timestamp) {
        for layer in layerIDs {
            guard let ctx = layers[layer], ctx.state == .joined || ctx.state == .attached, ctx.routing.count > 0 else { continue }
            let stale = ctx.routing.staleBuckets(now: now, olderThan: configuration.bucketRefreshInterval)
            var targets: [NodeID] = []
            for index in stale.prefix(8) {
                targets.append(ctx.routing.randomID(inBucket: index, random: random))
                ctx.routing.markRefreshed(bucket: index, now: now)
            }
            for target in targets where lookups.count < configuration.maxConcurrentLookups {
                startLookup(target: target, layer: layer, purpose: .refresh, method: "findNode", owner: nil, now: now)
            }
        }
    }

    /// After joining, looks up a random id in every bucket that does not hold our own id, so that
    /// the far buckets fill and the nodes there learn about us (Kademlia paper §2.3).
    func refreshFarBuckets(layer: Int, now: Timestamp) {
        guard let ctx = layers[layer], ctx.routing.count > 0 else { return }
        var targets: [NodeID] = []
        for index in ctx.routing.buckets.indices where !ctx.routing.buckets[index].contains(ctx.nodeID) {
            targets.append(ctx.routing.randomID(inBucket: index, random: random))
            ctx.routing.markRefreshed(bucket: index, now: now)
        }
        for target in targets.prefix(16) where lookups.count < configuration.maxConcurrentLookups {
            startLookup(target: target, layer: layer, purpose: .refresh, method: "findNode", owner: nil, now: now)
        }
    }

    /// Hands records to a newly seen contact that is now among the k closest to them and closer
    /// than we are (Kademlia paper §2.5; BitDust's replication is broken, docs/protocol.md §11).
    func replicate(toNewContact contact: Contact, layer: Int, now: Timestamp) {
        guard let ctx = layers[layer], ctx.state == .joined || ctx.state == .attached, !ctx.records.isEmpty else { return }
        let nodeStateKey = DHTKey.nodeState.hexUTF8
        var all: [Contact] = []
        var gathered = false
        var sent = 0
        for record in ctx.records.values where record.key != nodeStateKey && record.expiresAt > now.unixSeconds {
            // (`expiresAt` saturates, and records are held to `RecordBounds`.)
            guard sent < 64, let key = record.keyID else { break }
            let newDistance = contact.id ^ key
            guard newDistance < (ctx.nodeID ^ key) else { continue }
            if !gathered {
                all = ctx.routing.buckets.flatMap(\.contacts)
                gathered = true
            }
            var closer = 0
            for other in all where other.id != contact.id && (other.id ^ key) < newDistance {
                closer += 1
                if closer >= configuration.k { break }
            }
            guard closer < configuration.k else { continue }
            let publisher: BValue = record.publisher.map { .bytes($0.hexUTF8) } ?? .none
            let age = RecordBounds.age(at: now.unixSeconds, originallyPublished: record.originallyPublished)
            call(
                "store", args: [.bytes(record.key), record.value, publisher, .int(age), .int(record.expireSeconds)],
                to: contact.endpoint, peerID: contact.id, layer: layer, purpose: .background, now: now)
            emit(
                .valueReplicated(
                    layer: layer, keyText: record.keyText,
                    to: ContactTriple(id: contact.id, endpoint: contact.endpoint, layer: layer), republish: false))
            sent += 1
        }
    }

    /// Keeps the layer's nodeState record as a BitDust node does (docs/protocol.md §6): our id and the
    /// closest contacts, readable by findValue.
    func saveNodeState(layer: Int, now: Timestamp) {
        guard let ctx = layers[layer] else { return }
        let closest = ctx.routing.closest(to: ctx.nodeID, count: 16, excludingID: nil)
        // The text depends only on these contacts: when they and the held record are what
        // they were last time, the record would be rebuilt equal and left alone.
        let basis = closest.map { ContactTriple(id: $0.id, endpoint: $0.endpoint, layer: layer) }
        if basis == ctx.nodeStateBasis, let held = ctx.nodeStateValue,
            ctx.records[DHTKey.nodeState.hexUTF8]?.value == held
        {
            return
        }
        let nodes = closest.map { "[\"\($0.id.hex)\", \"\($0.endpoint.host)\", \($0.endpoint.port), \(layer)]" }
        let json =
            "{\"id\": \"\(ctx.nodeID.hex)\", \"closestNodes\": [\(nodes.joined(separator: ", "))], \"key\": \"nodeState\", \"type\": \"skip_validation\"}"
        let record = StoredRecord(
            layer: layer, key: DHTKey.nodeState.hexUTF8, value: .string(json), lastPublished: now.unixSeconds,
            originallyPublished: now.unixSeconds, publisher: ctx.nodeID,
            expireSeconds: configuration.maxExpireSeconds)
        ctx.nodeStateBasis = basis
        ctx.nodeStateValue = record.value
        if ctx.records[record.key]?.value == record.value { return }
        ctx.records[record.key] = record
        effects.append(.persist([.put(record)], then: []))
    }
}
