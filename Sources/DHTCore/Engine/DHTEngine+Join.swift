import DHTWire

/// First contact: joining through seeds, retried with a jittered exponential backoff for as long
/// as a layer is alone (nothing in its routing table), and again whenever its table empties.
/// Name resolution is the host's: the engine asks for it with `Effect.resolveSeeds` and uses
/// whatever `setSeeds` last gave it, never waiting.
extension DHTEngine {
    /// The backoff between join attempts (about 1 s doubling up to 60 s, ±25 % jitter).
    static let joinBackoff = JoinBackoff()
    /// The most addresses one attempt asks.
    static let maxJoinSeeds = 64

    /// `layer`'s join state; nil for a layer that does not exist or was never joined.
    public func joinState(layer: Int) -> JoinState? { layers[layer]?.join }

    /// The seeds the host resolved (again): used by the next attempt of every alone layer.
    public func setSeeds(_ seeds: SeedSet, now: Timestamp) -> [Effect] {
        var set = seeds
        set.endpoints = Array(seeds.endpoints.prefix(Self.maxJoinSeeds))
        seedSet = set
        seedResolutionPending = false
        return takeEffects()
    }

    /// When the next join attempt of an alone layer is due.
    var nextJoinAttempt: Timestamp? {
        var earliest: Timestamp?
        for ctx in layerContexts where ctx.joinLookup == nil {
            if case .alone(let p)? = ctx.join, let t = p.nextAttemptAt, earliest == nil || t < earliest! { earliest = t }
        }
        return earliest
    }

    // MARK: The join operation

    func join(layer: Int, seeds: [Endpoint], attach: Bool, owner: OperationID, now: Timestamp) {
        guard let ctx = layers[layer] else { return }
        ctx.state = .joining
        ctx.attachOnJoin = attach
        ctx.joinSeeds = Array(seeds.prefix(Self.maxJoinSeeds))
        ctx.genesis = seeds.isEmpty && (seedSet.map { $0.genesis || ($0.endpoints.isEmpty && $0.unresolved == 0) } ?? true)
        emit(.layerStateChanged(layer: layer, nodeID: ctx.nodeID, state: .joining))
        startJoinAttempt(layer: layer, owner: owner, now: now)
    }

    /// The addresses an attempt asks: those of the join operation and the host's seeds.
    private func attemptEndpoints(_ ctx: LayerContext) -> [Endpoint] {
        var out = ctx.joinSeeds
        for e in seedSet?.endpoints ?? [] where !out.contains(e) && out.count < Self.maxJoinSeeds { out.append(e) }
        return out
    }

    private func startJoinAttempt(layer: Int, owner: OperationID?, now: Timestamp) {
        guard let ctx = layers[layer] else { return }
        let endpoints = attemptEndpoints(ctx)
        let previous = ctx.join?.progress
        if !ctx.genesis && ctx.routing.count == 0 {
            let progress = JoinProgress(
                attempt: (previous?.attempt ?? 0) + 1, seeds: endpoints.count + (seedSet?.unresolved ?? 0),
                last: previous?.last ?? JoinFailures(), total: previous?.total ?? JoinFailures(),
                reason: previous?.reason ?? .seedsFailed)
            setJoin(.joining(progress), layer: layer)
        }
        let id = startLookup(
            target: ctx.nodeID, layer: layer, purpose: .join, method: "findNode", owner: owner,
            seeds: endpoints, now: now)
        // (A lookup with nobody to ask has already finished, and `joinFinished` ran.)
        if let id, lookups[id] != nil { ctx.joinLookup = id }
    }

    func joinFinished(_ lookup: Lookup, summary: LookupSummary, now: Timestamp) {
        guard let ctx = layers[lookup.layer] else { return }
        if ctx.joinLookup == lookup.id { ctx.joinLookup = nil }
        if ctx.state == .joining {
            ctx.state = ctx.attachOnJoin ? .attached : .joined
            emit(.layerStateChanged(layer: lookup.layer, nodeID: ctx.nodeID, state: ctx.state))
            saveNodeState(layer: lookup.layer, now: now)
            if ctx.state == .attached { refreshFarBuckets(layer: lookup.layer, now: now) }
        }
        var failure: OperationFailure?
        if ctx.routing.count > 0 {
            setJoin(.joined, layer: lookup.layer)
        } else if ctx.genesis {
            setJoin(.genesis, layer: lookup.layer)
        } else {
            let failures = JoinFailures(
                dns: seedSet?.unresolved ?? 0,
                noAnswer: max(0, lookup.seedsTried - lookup.seedsAnswered - lookup.seedsRefused),
                refused: lookup.seedsRefused)
            let delay = scheduleRetry(layer: lookup.layer, failures: failures, reason: .seedsFailed, now: now)
            let what = lookup.seedsTried == 0 && failures.total > 0 ? "no seed could be resolved" : "no seed answered"
            failure = OperationFailure(.timeout, "\(what) on layer \(lookup.layer) (\(failures)); retrying in \(format(delay))")
        }
        guard let op = lookup.owner else { return }
        if let failure { finish(op, .failed(failure)) } else { finish(op, .joined(summary)) }
    }

    /// Records a failed attempt and schedules the next; returns the wait.
    @discardableResult
    private func scheduleRetry(layer: Int, failures: JoinFailures, reason: AloneReason, now: Timestamp) -> Duration {
        guard let ctx = layers[layer] else { return .zero }
        let previous = ctx.join?.progress
        ctx.failedAttempts += 1
        let delay = Self.joinBackoff.delay(afterFailures: ctx.failedAttempts, random: random)
        let progress = JoinProgress(
            attempt: previous?.attempt ?? 0, seeds: attemptEndpoints(ctx).count + (seedSet?.unresolved ?? 0),
            last: failures, total: (previous?.total ?? JoinFailures()) + failures,
            nextAttemptAt: now + delay, reason: reason)
        setJoin(.alone(progress), layer: layer)
        requestSeedResolution()
        return delay
    }

    private func requestSeedResolution() {
        guard !seedResolutionPending else { return }
        seedResolutionPending = true
        effects.append(.resolveSeeds)
    }

    private func setJoin(_ state: JoinState, layer: Int) {
        guard let ctx = layers[layer], ctx.join != state else { return }
        if state == .joined { ctx.failedAttempts = 0 }
        ctx.join = state
        emit(.joinStateChanged(layer: layer, state: state))
    }

    // MARK: Retries

    /// Starts the attempts that are due (from `tick`).
    func startDueJoinAttempts(now: Timestamp) {
        for ctx in layerContexts {
            guard case .alone(let p)? = ctx.join, let due = p.nextAttemptAt, due <= now, ctx.joinLookup == nil else { continue }
            let layer = ctx.layer
            guard lookups.count < configuration.maxConcurrentLookups else {
                // No lookup slot: try again in a second rather than at once.
                var later = p
                later.nextAttemptAt = now + .seconds(1)
                ctx.join = .alone(later)
                continue
            }
            startJoinAttempt(layer: layer, owner: nil, now: now)
        }
    }

    /// After routing changes: a contact makes an alone layer joined; an emptied table makes a
    /// joined layer alone again (or a genesis node genesis again), with a retry scheduled.
    func routingChanged(layer: Int, now: Timestamp) {
        guard let ctx = layers[layer], let state = ctx.join else { return }
        if ctx.routing.count > 0 {
            if state != .joined { setJoin(.joined, layer: layer) }
        } else if state == .joined {
            if ctx.genesis {
                setJoin(.genesis, layer: layer)
            } else {
                ctx.failedAttempts = 0
                ctx.join = .alone(
                    JoinProgress(
                        attempt: 0, seeds: attemptEndpoints(ctx).count + (seedSet?.unresolved ?? 0),
                        reason: .tableEmptied))
                scheduleRetry(layer: layer, failures: JoinFailures(), reason: .tableEmptied, now: now)
            }
        }
    }
}
