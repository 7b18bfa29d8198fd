import DHTWire

/// One published record waiting to be republished.
struct RepublishItem: Hashable {
    var layer: Int
    var key: [UInt8]
}

extension DHTEngine {
    /// How long before its end a record of lifetime `expireSeconds` is republished:
    /// `min(republishMargin, expireSeconds / 4)`.
    func republishMargin(expireSeconds: Int64) -> Int64 {
        min(configuration.republishMargin.nanoseconds / 1_000_000_000, max(0, expireSeconds) / 4)
    }

    /// Whether the operator's record `record` should be stored on the network again at `now`:
    /// it is still meant to live (`now < originallyPublished + expireSeconds`) and its last
    /// store is a lifetime minus the margin old (so a record is republished once, near its
    /// end, to reach the nodes that are among the k closest by then).
    func republishIsDue(_ record: StoredRecord, now: Int64) -> Bool {
        guard record.key != DHTKey.nodeState.hexUTF8, now < record.expiresAt else { return false }
        let interval = Saturating.subtract(record.expireSeconds, republishMargin(expireSeconds: record.expireSeconds))
        return Saturating.subtract(now, record.lastPublished) >= interval
    }

    /// At each expiry sweep: queues every published record that is due (Entangled's republish,
    /// which BitDust's nodes never run, docs/protocol.md §11). Only what the operator set on this node is
    /// republished, never records a peer stored naming us as their publisher.
    func queueDueRepublishes(now: Timestamp) {
        let t = now.unixSeconds
        for layer in layerIDs {
            guard let ctx = layers[layer], ctx.state == .joined || ctx.state == .attached else { continue }
            let due = ctx.published.values.filter { republishIsDue($0, now: t) }.sorted { $0.expiresAt < $1.expiresAt }
            for record in due {
                let item = RepublishItem(layer: layer, key: record.key)
                if republishQueued.insert(item).inserted { republishQueue.append(item) }
            }
        }
    }

    /// Every tick: starts up to `republishPerTick` queued republishes (while lookups are free),
    /// each a store lookup that keeps the original publication time.
    func startQueuedRepublishes(now: Timestamp) {
        var started = 0
        let t = now.unixSeconds
        while republishHead < republishQueue.count, started < configuration.republishPerTick,
            lookups.count < configuration.maxConcurrentLookups
        {
            let item = republishQueue[republishHead]
            republishHead += 1
            republishQueued.remove(item)
            guard let ctx = layers[item.layer], ctx.state == .joined || ctx.state == .attached,
                var record = ctx.published[item.key], republishIsDue(record, now: t), let key = record.keyID
            else { continue }
            // Marked now, so that a sweep during the lookup does not queue it again.
            record.lastPublished = t
            ctx.published[item.key] = record
            let op = OperationID(nextInternalOperation)
            nextInternalOperation -= 1
            var progress = StoreProgress(key: key, value: record.value, expireSeconds: record.expireSeconds, layer: item.layer)
            progress.republish = true
            progress.originallyPublished = record.originallyPublished
            operations[op] = .store(progress)
            startLookup(target: key, layer: item.layer, purpose: .store, method: "findNode", owner: op, now: now)
            started += 1
        }
        if republishHead == republishQueue.count {
            republishQueue.removeAll(keepingCapacity: true)
            republishHead = 0
        } else if republishHead > 1024, republishHead * 2 > republishQueue.count {
            republishQueue.removeFirst(republishHead)
            republishHead = 0
        }
    }

    /// Published records queued for republishing and not started yet.
    public var pendingRepublishes: Int { republishQueue.count - republishHead }
}
