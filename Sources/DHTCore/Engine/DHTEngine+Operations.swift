import DHTWire

/// An operation waiting for its result.
enum OperationState {
    case ping
    /// A single `call`: its answer is handed over as it came.
    case single
    case lookup
    case store(StoreProgress)
}

/// An iterative store between its lookup and its last store answer.
struct StoreProgress {
    var key: NodeID
    var value: BValue
    var expireSeconds: Int64
    var layer: Int
    var lookup: LookupSummary?
    var outstanding = 0
    var replies: [StoreReply] = []
    var storedLocally = false
    /// A republish of our own record: report replication events rather than a result.
    var republish = false
    /// For a republish, the record's original publication time (kept, never reset); nil for
    /// a new store, published now.
    var originallyPublished: Int64?
}

extension DHTEngine {
    func startOperation(_ operation: Operation, id: OperationID, now: Timestamp) {
        let layer: Int
        switch operation {
        case .ping(_, let l), .findNode(_, let l), .findValue(_, let l, _), .store(_, _, _, let l), .join(_, let l, _),
            .call(_, _, _, let l):
            layer = l
        }
        guard layers[layer] != nil else {
            effects.append(.completed(id, .failed(OperationFailure(.layerNotActive, "layer \(layer) is not created on this node"))))
            return
        }
        if lookups.count >= configuration.maxConcurrentLookups, !isPing(operation) {
            effects.append(.completed(id, .failed(OperationFailure(.tooManyLookups, "too many lookups running (\(lookups.count))"))))
            return
        }
        switch operation {
        case .ping(let endpoint, _):
            operations[id] = .ping
            call("ping", args: [], to: endpoint, peerID: nil, layer: layer, purpose: .ping(id), now: now)
        case .findNode(let target, _):
            operations[id] = .lookup
            startLookup(target: target, layer: layer, purpose: .findNode, method: "findNode", owner: id, now: now)
        case .findValue(let key, _, let collectAll):
            operations[id] = .lookup
            startLookup(
                target: key, layer: layer, purpose: .findValue, method: "findValue", owner: id,
                collectAll: collectAll, now: now)
        case .store(let key, let value, let expire, _):
            let clamped = min(max(expire, configuration.minExpireSeconds), configuration.maxExpireSeconds)
            operations[id] = .store(StoreProgress(key: key, value: value, expireSeconds: clamped, layer: layer))
            startLookup(target: key, layer: layer, purpose: .store, method: "findNode", owner: id, now: now)
        case .join(let seeds, _, let attach):
            operations[id] = .lookup
            join(layer: layer, seeds: seeds, attach: attach, owner: id, now: now)
        case .call(let endpoint, let method, let args, _):
            operations[id] = .single
            call(method, args: args, to: endpoint, peerID: nil, layer: layer, purpose: .ping(id), now: now)
        }
    }

    private func isPing(_ operation: Operation) -> Bool {
        switch operation {
        case .ping, .call: return true
        default: return false
        }
    }

    func finish(_ id: OperationID, _ result: OperationResult) {
        guard operations.removeValue(forKey: id) != nil else { return }
        effects.append(.completed(id, result))
    }

    // MARK: Store

    func storeLookupFinished(_ lookup: Lookup, summary: LookupSummary, now: Timestamp) {
        guard let op = lookup.owner, case .store(var progress)? = operations[op], let ctx = layers[progress.layer] else { return }
        progress.lookup = summary
        let targets = summary.closest
        let key = progress.key
        let ownCloser = targets.count < configuration.k || (ctx.nodeID ^ key) < (targets.last!.id ^ key)
        if ownCloser || targets.isEmpty {
            let record = StoredRecord(
                layer: progress.layer, key: key.hexUTF8, value: progress.value, lastPublished: now.unixSeconds,
                originallyPublished: progress.originallyPublished ?? now.unixSeconds, publisher: ctx.nodeID,
                expireSeconds: progress.expireSeconds)
            if case .success(let changes) = admit(record, from: nil) {
                effects.append(.persist(changes, then: []))
                progress.storedLocally = true
            }
        }
        // A republish sends the true age, so that every copy expires when the original does.
        let age = progress.originallyPublished.map { RecordBounds.age(at: now.unixSeconds, originallyPublished: $0) } ?? 0
        let args: [BValue] = [.bytes(key.hexUTF8), progress.value, .bytes(ctx.nodeID.hexUTF8), .int(age), .int(progress.expireSeconds)]
        for t in targets {
            call("store", args: args, to: t.endpoint, peerID: t.id, layer: progress.layer, purpose: .store(op), now: now)
            progress.outstanding += 1
        }
        operations[op] = .store(progress)
        if progress.outstanding == 0 { completeStore(op, progress, now: now) }
    }

    /// One store answered (`result` nil: timed out).
    func storeAnswered(_ op: OperationID, peer: ContactTriple, result: Result<BValue, RemoteError>?, now: Timestamp) {
        guard case .store(var progress)? = operations[op] else { return }
        let outcome: StoreReply.Outcome
        switch result {
        case nil: outcome = .timeout
        case .success(let v) where v.string == "OK": outcome = .ok
        case .success(let v): outcome = .unexpected(BoundedText.truncate(v.string ?? "\(v)", maxBytes: BoundedText.errorBytes))
        case .failure(let e):
            outcome = .refused(
                type: BoundedText.truncate(e.type, maxBytes: BoundedText.errorBytes),
                message: BoundedText.truncate(e.message, maxBytes: BoundedText.errorBytes))
        }
        progress.replies.append(StoreReply(peer: peer, outcome: outcome))
        progress.outstanding -= 1
        if progress.republish, outcome == .ok {
            emit(.valueReplicated(layer: progress.layer, keyText: progress.key.hex, to: peer, republish: true))
        }
        operations[op] = .store(progress)
        if progress.outstanding == 0 { completeStore(op, progress, now: now) }
    }

    private func completeStore(_ op: OperationID, _ progress: StoreProgress, now: Timestamp) {
        if progress.storedLocally || progress.replies.contains(where: { $0.outcome == .ok }), let ctx = layers[progress.layer] {
            // Remember our publication for republish, even when we keep no copy ourselves.
            let record = StoredRecord(
                layer: progress.layer, key: progress.key.hexUTF8, value: progress.value, lastPublished: now.unixSeconds,
                originallyPublished: progress.originallyPublished ?? now.unixSeconds, publisher: ctx.nodeID,
                expireSeconds: progress.expireSeconds)
            // A republish whose record was set anew (or deleted) meanwhile must not overwrite it.
            if progress.republish, ctx.published[record.key]?.originallyPublished != progress.originallyPublished {
                operations.removeValue(forKey: op)
                return
            }
            ctx.published[record.key] = record
            effects.append(.persist([.putPublished(record)], then: []))
        }
        let summary = StoreSummary(
            replies: progress.replies, storedLocally: progress.storedLocally,
            lookup: progress.lookup
                ?? LookupSummary(
                    id: LookupID(0), layer: progress.layer, target: progress.key,
                    purpose: .store, startedAt: .init(nanoseconds: 0)))
        if progress.republish {
            operations.removeValue(forKey: op)
        } else {
            finish(op, .stored(summary))
        }
    }
}
