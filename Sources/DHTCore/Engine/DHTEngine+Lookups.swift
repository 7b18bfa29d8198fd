import DHTWire

extension DHTEngine {
    /// Starts an iterative lookup from the routing table's closest contacts and any seeds.
    @discardableResult
    func startLookup(
        target: NodeID, layer: Int, purpose: LookupPurpose, method: String, owner: OperationID?,
        seeds: [Endpoint] = [], collectAll: Bool = false, now: Timestamp
    ) -> LookupID? {
        guard let ctx = layers[layer] else { return nil }
        let id = LookupID(nextLookupID)
        nextLookupID += 1
        let lookup = Lookup(
            id: id, layer: layer, target: target, purpose: purpose, ownID: ctx.nodeID,
            configuration: configuration, startedAt: now, method: method, collectAll: collectAll)
        lookup.owner = owner
        let start = ctx.routing.closest(to: target, count: configuration.k * 2, excludingID: nil)
        lookup.add(start.map { ContactTriple(id: $0.id, endpoint: $0.endpoint, layer: layer) }, round: 1)
        lookup.slowestRTT = start.compactMap(\.rtt).max()
        let knownEndpoints = Set(start.map(\.endpoint))
        for seed in seeds where !knownEndpoints.contains(seed) {
            lookup.addSeed(seed, temporaryID: random.nodeID())
        }
        lookups[id] = lookup
        emit(.lookupStarted(lookup.summary(now: now)))
        advanceLookup(id, now: now)
        return id
    }

    /// Sends the next queries of a lookup, or finishes it.
    func advanceLookup(_ id: LookupID, now: Timestamp) {
        guard let lookup = lookups[id] else { return }
        let seeds = lookup.takeSeeds(now: now)
        let queries = lookup.nextQueries(now: now)
        let targetArg = seeds.isEmpty && queries.isEmpty ? BValue.none : BValue.bytes(lookup.target.hexUTF8)
        lookups[id] = lookup
        for (temporaryID, endpoint) in seeds {
            let rpcID = call(
                lookup.method, args: [targetArg], to: endpoint, peerID: nil, layer: lookup.layer,
                purpose: .lookup(id, candidate: temporaryID), now: now)
            lookup.seedSent(temporaryID, rpcID: rpcID)
        }
        for c in queries {
            let rpcID = call(
                lookup.method, args: [targetArg], to: c.triple.endpoint, peerID: c.triple.id, layer: lookup.layer,
                purpose: .lookup(id, candidate: c.triple.id), now: now)
            lookup.sent(c.triple.id, rpcID: rpcID)
        }
        lookups[id] = lookup
        if !seeds.isEmpty || !queries.isEmpty { emit(.lookupProgressed(lookup.summary(now: now))) }
        // A findValue hands the value to its owner as soon as it arrives; the lookup goes on in
        // the background only until a responder without it is known, for the cache-store.
        if lookup.purpose == .findValue, !lookup.collectAll, !lookup.values.isEmpty, lookup.termination == nil {
            if !lookup.withoutValue.isEmpty || lookup.inFlight == 0 {
                lookup.termination = .valueFound
                lookups[id] = lookup
                finishLookup(id, now: now)
                return
            }
            if let op = lookup.owner {
                lookup.owner = nil
                lookups[id] = lookup
                var summary = lookup.summary(now: now)
                summary.termination = .valueFound
                finish(op, .value(ValueLookupResult(values: lookup.values, lookup: summary, cachedAt: nil)))
            }
        }
        if lookup.termination == nil, lookup.values.isEmpty, let policy = lookupTerminationPolicy {
            let responders = lookup.candidates.lazy.filter { $0.state == .responded }.count
            if policy.endsEarly(LookupProgress(purpose: lookup.purpose, k: lookup.k, responders: responders, inFlight: lookup.inFlight)) {
                lookup.termination = .converged
            }
        }
        if lookup.checkTermination() {
            lookups[id] = lookup
            finishLookup(id, now: now)
        } else if lookup.takeWidened() {
            // A findValue found nothing among the k closest: ask the next k (once).
            lookups[id] = lookup
            advanceLookup(id, now: now)
        }
    }

    func lookupAnswered(_ id: LookupID, candidate: NodeID, peer: PeerReply, result: Result<BValue, RemoteError>, now: Timestamp) {
        guard let lookup = lookups[id] else { return }
        let real = ContactTriple(id: peer.id, endpoint: peer.endpoint, layer: lookup.layer)
        lookup.answered(rtt: peer.rtt)
        var contacts: [ContactTriple] = []
        switch result {
        case .failure:
            lookup.failed(candidate)
            lookups[id] = lookup
            advanceLookup(id, now: now)
            return
        case .success(let value):
            if lookup.method == "findValue", case .dict(let d) = value, let found = d[.bytes(lookup.target.hexUTF8)] {
                // A peer's times are held to `RecordBounds` before anyone computes with them.
                let expire = RecordBounds.expireSeconds(d["expireSeconds"]?.int ?? configuration.defaultExpireSeconds)
                let published = RecordBounds.originallyPublished(d["originallyPublished"]?.int ?? now.unixSeconds, now: now.unixSeconds)
                lookup.values.append(FoundValue(value: found, expireSeconds: expire, originallyPublished: published, from: peer))
            } else if let list = value.list {
                contacts = list.compactMap { parseContact($0, layer: lookup.layer) }
                if lookup.method == "findValue" { lookup.withoutValue.append(real) }
            }
        }
        if lookup.seeds[candidate] != nil {
            lookup.seedResponded(temporaryID: candidate, real: real, contacts: contacts)
        } else {
            lookup.responded(candidate, contacts: contacts)
        }
        lookups[id] = lookup
        advanceLookup(id, now: now)
    }

    /// Gives up waiting (for the lookup's sake) on queries silent past the soft timeout, so a
    /// dead contact among the closest costs `lookupSoftTimeout`, not a whole RPC timeout.
    /// Before that, a query (a seed's too) silent past a few round-trip times is sent again under
    /// the same RPC id (a lost datagram then costs milliseconds, not the soft timeout).
    func checkSlowLookups(now: Timestamp) {
        let soft = configuration.lookupSoftTimeout
        // Only lookups with a query due now (their cached soft deadline): for the others
        // nothing below would change.
        var due: [LookupID] = []
        for (id, lookup) in lookups {
            if let d = lookup.nextSoftDeadline(softTimeout: soft), d <= now { due.append(id) }
        }
        for id in due {
            guard let lookup = lookups[id] else { continue }
            let retries = lookup.takeRetries(now: now, softTimeout: soft)
            let seedRetries = lookup.takeSeedRetries(now: now, softTimeout: soft)
            let targetArg = retries.isEmpty && seedRetries.isEmpty ? BValue.none : BValue.bytes(lookup.target.hexUTF8)
            for c in retries {
                call(
                    lookup.method, args: [targetArg], to: c.triple.endpoint, peerID: c.triple.id, layer: lookup.layer,
                    purpose: .lookup(id, candidate: c.triple.id), now: now, rpcID: c.rpcID, attempt: c.sends)
            }
            for seed in seedRetries {
                call(
                    lookup.method, args: [targetArg], to: seed.endpoint, peerID: nil, layer: lookup.layer,
                    purpose: .lookup(id, candidate: seed.temporaryID), now: now, rpcID: seed.rpcID, attempt: seed.sends)
            }
            let changed = lookup.markSlow(now: now, softTimeout: soft)
            lookups[id] = lookup
            if changed { advanceLookup(id, now: now) }
        }
    }

    func lookupFailed(_ id: LookupID, candidate: NodeID, refused: Bool = false, now: Timestamp) {
        guard let lookup = lookups[id] else { return }
        lookup.failed(candidate, refused: refused)
        lookups[id] = lookup
        advanceLookup(id, now: now)
    }

    /// A contact from a findNode result (`ContactTriple.parse`).
    func parseContact(_ value: BValue, layer: Int) -> ContactTriple? { ContactTriple.parse(value, layer: layer) }

    func finishLookup(_ id: LookupID, now: Timestamp) {
        guard let lookup = lookups.removeValue(forKey: id) else { return }
        let summary = lookup.summary(now: now)
        emit(.lookupFinished(summary))
        if summary.termination == .converged, summary.closest.count >= configuration.k, let ctx = layers[lookup.layer] {
            ctx.sizeEstimator.add(target: lookup.target, closest: summary.closest.map(\.id))
        }
        switch lookup.purpose {
        case .join: joinFinished(lookup, summary: summary, now: now)
        case .findNode:
            if let op = lookup.owner { finish(op, summary.responders == 0 ? .failed(noContacts(summary)) : .closest(summary)) }
        case .findValue: valueLookupFinished(lookup, summary: summary, now: now)
        case .store: storeLookupFinished(lookup, summary: summary, now: now)
        case .refresh: break
        }
    }

    func noContacts(_ summary: LookupSummary) -> OperationFailure {
        summary.rpcsSent == 0
            ? OperationFailure(.noContacts, "no contacts to ask on layer \(summary.layer): join through a seed first")
            : OperationFailure(.timeout, "no node answered (\(summary.rpcsSent) RPCs, \(summary.timeouts) timed out)")
    }

    func valueLookupFinished(_ lookup: Lookup, summary: LookupSummary, now: Timestamp) {
        var cachedAt: ContactTriple?
        if let first = lookup.values.first {
            // docs/protocol.md §11: cache the value at the closest responder that did not have it, keeping
            // its original publication time (Entangled sends age 0; we send the true age).
            let target = lookup.target
            if let closest = lookup.withoutValue.min(by: { ($0.id ^ target) < ($1.id ^ target) }) {
                let age = RecordBounds.age(at: now.unixSeconds, originallyPublished: first.originallyPublished)
                call(
                    "store", args: [.bytes(target.hexUTF8), first.value, .none, .int(age), .int(first.expireSeconds)],
                    to: closest.endpoint, peerID: closest.id, layer: lookup.layer, purpose: .background, now: now)
                cachedAt = closest
            }
        }
        guard let op = lookup.owner else { return }
        if lookup.values.isEmpty && summary.responders == 0 {
            finish(op, .failed(noContacts(summary)))
        } else {
            finish(op, .value(ValueLookupResult(values: lookup.values, lookup: summary, cachedAt: cachedAt)))
        }
    }
}
