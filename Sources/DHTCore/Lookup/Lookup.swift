import DHTWire

/// The state of one iterative lookup (Kademlia paper §2.3), as a pure value.
///
/// It keeps a shortlist sorted by XOR distance to the target. Up to alpha queries are in flight,
/// always to the closest candidates not yet asked among the k closest still alive; it ends only
/// when the k closest contacts seen have all answered — true termination, unlike Entangled's
/// (docs/protocol.md §11) — or when nobody is left to ask. Never reads the clock; not thread-safe.
/// A reference type so that the engine mutates a running lookup in place (no copy of its
/// shortlist taken out of and put back into the engine's table on every answer).
final class Lookup {
    /// One shortlist entry.
    struct Candidate {
        var triple: ContactTriple
        var distance: NodeID
        var state: State
        /// The hop at which it was (or will be) queried: 1 for the starting contacts.
        var round: Int
        /// When it was queried.
        var queriedAt: Timestamp?
        /// The RPC id of the query (a retry re-sends the same call under the same id).
        var rpcID: NodeID?
        /// Sends of the query so far: 1, or 2 once retried.
        var sends = 0
        /// `slow`: queried and silent past the lookup's soft timeout. It no longer holds a
        /// place among the k closest nor a slot of alpha, but a late answer still counts.
        enum State { case heard, waiting, slow, responded, failed }
    }

    let id: LookupID
    let layer: Int
    let target: NodeID
    let purpose: LookupPurpose
    let ownID: NodeID
    let k: Int
    let alpha: Int
    let limit: Int
    let startedAt: Timestamp
    /// What the lookup asks: `findNode` or `findValue`.
    let method: String
    /// For findValue: keep collecting copies after the first.
    let collectAll: Bool

    private(set) var candidates: [Candidate] = [] { didSet { softDeadline = nil } }
    private var known: Set<NodeID> = []
    /// Seeds whose id is not known yet, by the temporary id their call was made with.
    private(set) var seeds: [NodeID: Endpoint] = [:]
    private(set) var seedsWaiting: Set<NodeID> = [] { didSet { softDeadline = nil } }
    /// Seeds silent past the soft timeout (their RPC is still pending).
    private(set) var slowSeeds: Set<NodeID> = []
    private var seedsQueriedAt: Timestamp? { didSet { softDeadline = nil } }
    /// The RPC id each waiting seed was asked under and its sends so far (seeds are re-sent
    /// like candidates: a lost first datagram must not cost a one-shot client its join).
    private var seedCalls: [NodeID: (rpcID: NodeID, sends: Int)] = [:] { didSet { softDeadline = nil } }
    /// Seeds asked, and of those the ones that answered or were refused (ICMP port unreachable).
    private(set) var seedsTried = 0
    private(set) var seedsAnswered = 0
    private(set) var seedsRefused = 0
    /// The slowest answer of this lookup so far (from the routing table's RTTs before any), which
    /// sets how long a query may stay silent before it is sent once more.
    var slowestRTT: Duration? { didSet { softDeadline = nil } }
    private(set) var rpcsSent = 0
    private(set) var timeouts = 0
    private(set) var rounds = 0
    var values: [FoundValue] = []
    /// Responders of a findValue that did not have the value (cache-store candidates).
    var withoutValue: [ContactTriple] = []
    var termination: LookupTermination?
    /// How many of the closest live candidates must answer: k, or 2k once a findValue found
    /// nothing among the k closest. A reference node's store ends its lookup early and leaves
    /// copies off the true k closest (docs/protocol.md §11); asking the next k finds them.
    private(set) var depth: Int
    /// Whether a findValue widened to 2k, and whether that was since the engine last looked.
    private(set) var widened = false
    private var widenedUnseen = false
    /// The operation waiting for this lookup, if any.
    var owner: OperationID?

    init(
        id: LookupID, layer: Int, target: NodeID, purpose: LookupPurpose, ownID: NodeID, configuration: EngineConfiguration,
        startedAt: Timestamp, method: String, collectAll: Bool = false
    ) {
        self.id = id
        self.layer = layer
        self.target = target
        self.purpose = purpose
        self.ownID = ownID
        self.k = configuration.k
        self.depth = configuration.k
        self.alpha = configuration.alpha
        self.limit = configuration.lookupShortlistLimit
        self.startedAt = startedAt
        self.method = method
        self.collectAll = collectAll
        known.insert(ownID)
    }

    /// Adds contacts learnt at hop `round`; duplicates and our own id are ignored.
    func add(_ triples: [ContactTriple], round: Int) {
        for t in triples where !known.contains(t.id) {
            known.insert(t.id)
            let c = Candidate(triple: t, distance: t.id ^ target, state: .heard, round: round)
            let index = insertionIndex(for: c.distance)
            if index >= limit { continue }
            candidates.insert(c, at: index)
            if candidates.count > limit { candidates.removeLast() }
        }
    }

    /// Registers a seed address under a temporary id (its real id comes with its answer).
    func addSeed(_ endpoint: Endpoint, temporaryID: NodeID) {
        seeds[temporaryID] = endpoint
    }

    private func insertionIndex(for distance: NodeID) -> Int {
        var lo = 0, hi = candidates.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if candidates[mid].distance < distance { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    var inFlight: Int { candidates.lazy.filter { $0.state == .waiting }.count + seedsWaiting.count }

    /// Seeds not asked yet; the caller queries them all at once and reports them as waiting.
    func takeSeeds(now: Timestamp) -> [(NodeID, Endpoint)] {
        let out = seeds.filter { !seedsWaiting.contains($0.key) && !slowSeeds.contains($0.key) }.map { ($0.key, $0.value) }
        for (id, _) in out { seedsWaiting.insert(id) }
        if !out.isEmpty { seedsQueriedAt = now }
        rpcsSent += out.count
        seedsTried += out.count
        if !out.isEmpty { rounds = max(rounds, 1) }
        return out
    }

    /// Records the RPC id a seed's query went out under.
    func seedSent(_ temporaryID: NodeID, rpcID: NodeID) {
        if seedsWaiting.contains(temporaryID) { seedCalls[temporaryID] = (rpcID, 1) }
    }

    /// The next candidates to query, marked waiting: the closest not yet asked among the k
    /// closest alive, keeping at most alpha in flight.
    func nextQueries(now: Timestamp) -> [Candidate] {
        // After a value is found, no new queries: only the round in flight completes.
        guard termination == nil, values.isEmpty || collectAll else { return [] }
        var budget = alpha - inFlight
        var out: [Candidate] = []
        var alive = 0
        for i in candidates.indices where budget > 0 {
            if candidates[i].state == .failed || candidates[i].state == .slow { continue }
            alive += 1
            if alive > depth { break }
            if candidates[i].state == .heard {
                candidates[i].state = .waiting
                candidates[i].queriedAt = now
                candidates[i].sends = 1
                rounds = max(rounds, candidates[i].round)
                out.append(candidates[i])
                budget -= 1
            }
        }
        rpcsSent += out.count
        return out
    }

    /// A queried candidate answered with contacts (and, for findValue, maybe a value).
    func responded(_ id: NodeID, contacts: [ContactTriple]) {
        guard let i = candidates.firstIndex(where: { $0.triple.id == id }) else { return }
        candidates[i].state = .responded
        add(contacts, round: candidates[i].round + 1)
    }

    /// A seed answered: its real identity becomes a responded candidate.
    func seedResponded(temporaryID: NodeID, real: ContactTriple, contacts: [ContactTriple]) {
        seedsWaiting.remove(temporaryID)
        slowSeeds.remove(temporaryID)
        seedCalls.removeValue(forKey: temporaryID)
        if seeds.removeValue(forKey: temporaryID) != nil { seedsAnswered += 1 }
        if known.contains(real.id) {
            if let i = candidates.firstIndex(where: { $0.triple.id == real.id }), candidates[i].state != .responded {
                candidates[i].state = .responded
            }
        } else if real.id != ownID {
            add([real], round: 1)
            if let i = candidates.firstIndex(where: { $0.triple.id == real.id }) { candidates[i].state = .responded }
        }
        add(contacts, round: 2)
    }

    /// A queried candidate (or seed) timed out, answered with an error, or its host refused
    /// the datagram (`refused`: ICMP port unreachable).
    func failed(_ id: NodeID, refused: Bool = false) {
        if seedsWaiting.remove(id) != nil || slowSeeds.remove(id) != nil {
            seedCalls.removeValue(forKey: id)
            seeds.removeValue(forKey: id)
            if refused { seedsRefused += 1 }
            timeouts += 1
            return
        }
        guard let i = candidates.firstIndex(where: { $0.triple.id == id }),
            candidates[i].state == .waiting || candidates[i].state == .slow
        else { return }
        candidates[i].state = .failed
        timeouts += 1
    }

    /// Records the RPC id a candidate's query went out under.
    func sent(_ id: NodeID, rpcID: NodeID) {
        if let i = candidates.firstIndex(where: { $0.triple.id == id }) { candidates[i].rpcID = rpcID }
    }

    /// An answer arrived after `rtt`.
    func answered(rtt: Duration) {
        if slowestRTT == nil || rtt > slowestRTT! { slowestRTT = rtt }
    }

    /// How long a query may stay silent before it is sent once more (a datagram may be lost):
    /// three times the slowest answer seen plus 10 ms, within [50 ms, softTimeout / maxSends]
    /// (so that every send fits before the query turns slow); the cap before any answer is known.
    func retryDelay(softTimeout: Duration) -> Duration {
        let cap = softTimeout / Self.maxSends
        guard let rtt = slowestRTT else { return cap }
        return min(max(rtt * 3 + .milliseconds(10), .milliseconds(50)), cap)
    }

    /// The most sends of one query: the first and four re-sends (Python never re-sends; a lost
    /// datagram would otherwise cost the soft timeout and may drop a true closest node). At 5 %
    /// loss each way a round trip fails about 1 time in 10: three sends still left a true
    /// closest node out of about 1 lookup in 250, five leave it out of fewer than 1 in 25,000.
    static let maxSends = 5

    /// When a waiting query is due to be sent again (nil: no more re-sends before it turns slow).
    func resendDue(_ c: Candidate, delay: Duration, softTimeout: Duration) -> Timestamp? {
        guard c.state == .waiting, c.rpcID != nil, c.sends < Self.maxSends, let t = c.queriedAt else { return nil }
        let offset = delay * c.sends
        return offset < softTimeout ? t + offset : nil
    }

    /// Queries silent past `retryDelay` (then twice that, and so on): counted as sent again and
    /// returned, for the caller to re-send under the same RPC id. They keep their place among the
    /// k closest.
    func takeRetries(now: Timestamp, softTimeout: Duration) -> [Candidate] {
        let delay = retryDelay(softTimeout: softTimeout)
        var out: [Candidate] = []
        for i in candidates.indices {
            if let due = resendDue(candidates[i], delay: delay, softTimeout: softTimeout), due <= now {
                candidates[i].sends += 1
                out.append(candidates[i])
            }
        }
        rpcsSent += out.count
        return out
    }

    /// When a waiting seed's query is due to be sent again (nil: no more re-sends).
    private func seedResendDue(_ temporaryID: NodeID, delay: Duration, softTimeout: Duration) -> Timestamp? {
        guard seedsWaiting.contains(temporaryID), let call = seedCalls[temporaryID], call.sends < Self.maxSends,
            let t = seedsQueriedAt
        else { return nil }
        let offset = delay * call.sends
        return offset < softTimeout ? t + offset : nil
    }

    /// Seeds silent past `retryDelay` (then twice that, …): counted as sent again and returned
    /// with their address and RPC id, for the caller to re-send under the same id.
    func takeSeedRetries(now: Timestamp, softTimeout: Duration) -> [(temporaryID: NodeID, endpoint: Endpoint, rpcID: NodeID, sends: Int)] {
        let delay = retryDelay(softTimeout: softTimeout)
        var out: [(temporaryID: NodeID, endpoint: Endpoint, rpcID: NodeID, sends: Int)] = []
        for id in seedsWaiting {
            guard let due = seedResendDue(id, delay: delay, softTimeout: softTimeout), due <= now,
                let endpoint = seeds[id], let call = seedCalls[id]
            else { continue }
            seedCalls[id] = (call.rpcID, call.sends + 1)
            out.append((id, endpoint, call.rpcID, call.sends + 1))
        }
        rpcsSent += out.count
        return out
    }

    /// Marks queries silent for longer than `softTimeout` as slow; true when any changed.
    func markSlow(now: Timestamp, softTimeout: Duration) -> Bool {
        var changed = false
        for i in candidates.indices where candidates[i].state == .waiting {
            if let t = candidates[i].queriedAt, now - t >= softTimeout {
                candidates[i].state = .slow
                changed = true
            }
        }
        if !seedsWaiting.isEmpty, let t = seedsQueriedAt, now - t >= softTimeout {
            slowSeeds.formUnion(seedsWaiting)
            seedsWaiting.removeAll()
            changed = true
        }
        return changed
    }

    /// `nextSoftDeadline`'s last answer and the soft timeout it was computed for; cleared by
    /// every change of what it reads (the engine asks after every event, most lookups unchanged).
    private var softDeadline: (softTimeout: Duration, due: Timestamp?)?

    /// When the next query would become slow (or be sent again).
    func nextSoftDeadline(softTimeout: Duration) -> Timestamp? {
        if let cached = softDeadline, cached.softTimeout == softTimeout { return cached.due }
        let due = computeSoftDeadline(softTimeout: softTimeout)
        softDeadline = (softTimeout, due)
        return due
    }

    private func computeSoftDeadline(softTimeout: Duration) -> Timestamp? {
        var earliest = seedsWaiting.isEmpty ? nil : seedsQueriedAt.map { $0 + softTimeout }
        let retry = retryDelay(softTimeout: softTimeout)
        for id in seedsWaiting {
            if let due = seedResendDue(id, delay: retry, softTimeout: softTimeout), earliest == nil || due < earliest! { earliest = due }
        }
        for c in candidates where c.state == .waiting {
            guard let t = c.queriedAt else { continue }
            let due = resendDue(c, delay: retry, softTimeout: softTimeout) ?? t + softTimeout
            if earliest == nil || due < earliest! { earliest = due }
        }
        return earliest
    }

    /// Decides whether the lookup is over, recording why.
    func checkTermination() -> Bool {
        if termination != nil { return true }
        // docs/protocol.md §11: a findValue ends once the round that found the value is complete, so that
        // the responders without it are known for the cache-store.
        if !values.isEmpty && !collectAll {
            guard inFlight == 0 else { return false }
            termination = .valueFound
            return true
        }
        var alive = 0, responded = 0
        for c in candidates where c.state != .failed && c.state != .slow {
            alive += 1
            if c.state == .responded { responded += 1 }
            if alive == depth { break }
        }
        if alive == depth && responded == depth && seedsWaiting.isEmpty && !(collectAll && candidates.contains { $0.state == .slow }) {
            if method == "findValue" && values.isEmpty && !widened && candidates.contains(where: { $0.state == .heard }) {
                widened = true
                widenedUnseen = true
                depth = 2 * k
                return false
            }
            termination = values.isEmpty ? .converged : .valueFound
            return true
        }
        // A collect-all read wants every copy: slow peers free their slot but are still waited
        // for (until their RPC times out).
        let anyWaiting = candidates.contains { $0.state == .waiting || (collectAll && $0.state == .slow) } || !seedsWaiting.isEmpty
        let anyToAsk = candidates.contains { $0.state == .heard }
        if !anyWaiting && !anyToAsk {
            if !values.isEmpty {
                termination = .valueFound
            } else if widened {
                termination = .converged  // the k closest had answered before it looked further
            } else {
                termination = candidates.contains { $0.state == .responded } ? .exhausted : .noContacts
            }
            return true
        }
        return false
    }

    /// True once after the lookup widened to 2k: the engine then sends the next queries.
    func takeWidened() -> Bool {
        defer { widenedUnseen = false }
        return widenedUnseen
    }

    /// The closest responders, closest first.
    func closestResponders(_ count: Int) -> [ContactTriple] {
        Array(candidates.lazy.filter { $0.state == .responded }.prefix(count).map(\.triple))
    }

    /// The statistics so far; `now` fills `elapsed` when given.
    func summary(now: Timestamp?) -> LookupSummary {
        var s = LookupSummary(id: id, layer: layer, target: target, purpose: purpose, startedAt: startedAt)
        s.rounds = rounds
        s.rpcsSent = rpcsSent
        s.inFlight = inFlight
        s.responders = candidates.lazy.filter { $0.state == .responded }.count
        s.timeouts = timeouts
        s.closest = closestResponders(k)
        s.closestCommonPrefix = s.closest.first.map { $0.id.commonPrefixLength(with: target) }
        s.termination = termination
        if let now { s.elapsed = now - startedAt }
        return s
    }
}
