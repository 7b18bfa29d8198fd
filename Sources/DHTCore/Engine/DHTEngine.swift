import DHTWire

/// The sans-I/O BitDust DHT node: datagrams, time and operations go in; effects come out.
///
/// Contract: not thread-safe — the host calls it from one serial queue. It never reads a clock
/// (every entry point takes `now`), never touches a socket or a file, and draws randomness only
/// from the injected `RandomSource`. After each call the host carries out the returned effects
/// in order and arranges to call `tick(now:)` at `nextWakeup`.
public final class DHTEngine {
    public let configuration: EngineConfiguration
    let random: RandomSource
    var layers = LayerTable()
    var calls = PendingCalls()
    var reassembler: Reassembler<Endpoint>
    var lookups: [LookupID: Lookup] = [:]
    var nextLookupID: UInt64 = 1
    var operations: [OperationID: OperationState] = [:]
    /// Ids for operations the engine starts itself (republish), counted down from the top.
    var nextInternalOperation: UInt64 = .max
    public internal(set) var counters = Counters()
    /// Round-trip times of our answered calls, all layers together, by the method called
    /// (`LatencyHistogram.key`: at most seven keys).
    public internal(set) var rpcLatency: [String: LatencyHistogram] = [:]
    /// Fire-and-forget calls (replication, cache-stores, head pings) not sent because
    /// `configuration.maxPendingCalls` calls were in flight.
    public internal(set) var skippedCalls = 0
    /// Published records due for republishing, oldest due first, not started yet (each at most
    /// once: `republishQueued`). Bounded by the number of published records.
    var republishQueue: [RepublishItem] = []
    var republishHead = 0
    var republishQueued: Set<RepublishItem> = []
    /// Per-source token buckets (`configuration.rateLimit`).
    lazy var rateLimiter = RateLimiter(configuration: configuration.rateLimit)
    /// Decides whether a store may replace what is held (when `validateStores`). Accepts
    /// everything until the host injects a rule: every dhtop node runs `BitDustStoreRule`.
    public var storeRule: StoreRule = StoreRules.acceptAll
    /// A rule that may end lookups before true Kademlia termination. None in the product; test
    /// support injects Entangled's to compare (`LookupTerminationPolicy`).
    public var lookupTerminationPolicy: (any LookupTerminationPolicy)?
    /// Effects produced by the current entry point.
    var effects: [Effect] = []
    var nextMaintenance: Timestamp
    var nextExpirySweep: Timestamp
    var lastRefreshCheck: Timestamp
    /// The seeds the host resolved last (`setSeeds`); nil until it says.
    var seedSet: SeedSet?
    /// A `.resolveSeeds` effect is out and not answered yet.
    var seedResolutionPending = false
    public let startedAt: Timestamp
    /// The latest `now` an entry point was given: the time every event emitted since is stamped
    /// with (entry points without a `now` of their own, such as `setAttached`, use it too).
    public internal(set) var eventTime: Timestamp

    /// Creates an engine whose layers are given with their persisted ids (a fresh random id is
    /// drawn for any layer without one), and the records loaded from storage.
    public init(
        configuration: EngineConfiguration, random: RandomSource, now: Timestamp,
        layerIDs: [Int: NodeID?], records: [StoredRecord] = [], published: [StoredRecord] = []
    ) {
        self.configuration = configuration
        self.random = random
        self.reassembler = Reassembler<Endpoint>()
        self.startedAt = now
        self.eventTime = now
        self.nextMaintenance = now + configuration.maintenanceInterval
        self.nextExpirySweep = now + configuration.expirySweepInterval
        self.lastRefreshCheck = now
        for (layer, id) in layerIDs {
            createLayer(layer, nodeID: id ?? random.nodeID(), now: now)
        }
        // Records from storage may carry any times (older versions kept what peers sent):
        // hold them to `RecordBounds` so that every one expires and no arithmetic overflows.
        for record in records { layers[record.layer]?.records[record.key] = record.bounded(now: now.unixSeconds) }
        for record in published { layers[record.layer]?.published[record.key] = record.bounded(now: now.unixSeconds) }
    }

    /// Creates a layer (state `.created`) if it does not exist yet.
    public func createLayer(_ layer: Int, nodeID: NodeID, now: Timestamp) {
        eventTime = now
        guard layers[layer] == nil else { return }
        let ctx = LayerContext(layer: layer, nodeID: nodeID, state: .created, configuration: configuration, now: now)
        layers[layer] = ctx
        layerIDs.append(layer)
        layerIDs.sort()
        layerContexts.append(ctx)
        layerContexts.sort { $0.layer < $1.layer }
    }

    // MARK: Entry points

    /// Handles one received datagram.
    public func receive(_ datagram: [UInt8], from source: Endpoint, now: Timestamp) -> [Effect] {
        eventTime = now
        counters.bytesReceived += datagram.count
        counters.datagramsReceived += 1
        handleDatagram(datagram, from: source, now: now)
        return takeEffects()
    }

    /// Advances timers: RPC timeouts, fragment expiry, refresh, expiry, republish.
    public func tick(now: Timestamp) -> [Effect] {
        eventTime = now
        expireCalls(now: now)
        checkSlowLookups(now: now)
        startDueJoinAttempts(now: now)
        if now >= nextMaintenance { runMaintenance(now: now) }
        return takeEffects()
    }

    /// Starts an operation; its result arrives later as `Effect.completed(id, …)`.
    public func start(_ operation: Operation, id: OperationID, now: Timestamp) -> [Effect] {
        eventTime = now
        startOperation(operation, id: id, now: now)
        return takeEffects()
    }

    /// When the host should call `tick` next.
    public var nextWakeup: Timestamp {
        var t = nextMaintenance
        if let d = calls.earliestDeadline(), d < t { t = d }
        for lookup in lookups.values {
            if let d = lookup.nextSoftDeadline(softTimeout: configuration.lookupSoftTimeout), d < t { t = d }
        }
        if let d = nextJoinAttempt, d < t { t = d }
        return t
    }

    // MARK: Host-facing state

    /// This node's id on `layer`.
    public func nodeID(layer: Int) -> NodeID? { layers[layer]?.nodeID }

    /// The layers created on this node, in order (kept sorted by `createLayer`, the only
    /// place a layer is added: read on every tick).
    public private(set) var layerIDs: [Int] = []

    /// The contexts of `layerIDs`, in the same order: what every tick reads, without hashing.
    private(set) var layerContexts: [LayerContext] = []

    public func state(layer: Int) -> LayerState? { layers[layer]?.state }

    /// Marks a joined layer attached (our calls become REQUESTs) or not.
    public func setAttached(_ attached: Bool, layer: Int) {
        guard let ctx = layers[layer], ctx.state == .joined || ctx.state == .attached else { return }
        ctx.state = attached ? .attached : .joined
        emit(.layerStateChanged(layer: layer, nodeID: ctx.nodeID, state: ctx.state))
    }

    /// Sets what the `request` RPC answers for `name` on `layer` (docs/protocol.md §8.6).
    public func setNodeData(_ name: String, _ value: BValue, layer: Int) {
        layers[layer]?.nodeData[name] = value
    }

    /// How many names the `request` RPC answers on `layer` (BitDust's `node_items`).
    public func nodeDataCount(layer: Int) -> Int { layers[layer]?.nodeData.count ?? 0 }

    /// A copy of `layer`'s routing table.
    public func routingTable(layer: Int) -> RoutingTable? { layers[layer]?.routing }

    /// The records held on `layer`.
    public func records(layer: Int) -> [StoredRecord] { layers[layer].map { Array($0.records.values) } ?? [] }

    /// One record, by its wire key.
    public func record(layer: Int, key: [UInt8]) -> StoredRecord? { layers[layer]?.records[key] }

    /// Removes this node's own copy of a record (the operator's `delete`); copies on other
    /// nodes stay until they expire. Returns the effects to carry out, empty when not held.
    public func deleteLocal(layer: Int, key: [UInt8]) -> [Effect] {
        guard let ctx = layers[layer], let record = ctx.records.removeValue(forKey: key) else { return [] }
        ctx.published.removeValue(forKey: key)
        emit(.valueDeleted(layer: layer, keyText: record.keyText, by: nil))
        effects.append(.persist([.delete(layer: layer, key: key), .deletePublished(layer: layer, key: key)], then: []))
        return takeEffects()
    }

    /// The network size `layer`'s converged lookups suggest, once there are a few.
    public func networkSizeEstimate(layer: Int) -> NetworkSizeEstimate? {
        guard let ctx = layers[layer], let e = ctx.sizeEstimator.estimate() else { return nil }
        return e.atLeast(Double(ctx.routing.count + 1))  // never fewer than the nodes this one knows
    }

    /// RPCs of ours awaiting an answer.
    public var pendingRPCs: [RPCInfo] { calls.all.map(\.info) }

    /// Lookups running now.
    public var runningLookups: [LookupSummary] { lookups.values.map { $0.summary(now: nil) } }

    /// Makes sure every record it returns is durable: a snapshot for saving contacts on shutdown.
    public func contacts(layer: Int) -> [Contact] {
        layers[layer]?.routing.buckets.flatMap(\.contacts) ?? []
    }

    // MARK: Internals shared by the extensions

    /// Whether events are built at all; the host turns this off while nobody observes them.
    public var emitsEvents = true

    /// Appends `event` stamped with `eventTime` (when anyone observes events).
    func emit(_ event: @autoclosure () -> NodeEvent) {
        if emitsEvents { effects.append(.event(TimedEvent(event(), at: eventTime))) }
    }

    func takeEffects() -> [Effect] {
        // Most ticks produce nothing: hand back the shared empty array and keep our buffer
        // (taking a non-empty one leaves `effects` needing a buffer of its own).
        if effects.isEmpty { return [] }
        let out = effects
        effects.removeAll(keepingCapacity: true)
        return out
    }
}
