import DHTCore
import DHTWire

/// Many engines on one simulated UDP network with a manual clock: datagrams are delivered after
/// a fixed latency, in time order, and can be dropped per node. Fully deterministic for a seed.
///
/// Not thread-safe: drive it from one thread. Never reads a real clock.
public final class SimulatedNetwork {
    /// One simulated node.
    public final class Node {
        public let engine: DHTEngine
        public let endpoint: Endpoint
        /// Whether the node is on the network; a node "down" neither receives nor sends anything
        /// (its timers still run, as for a host cut off from the network).
        public var isUp = true
        /// Records made durable through `Effect.persist`.
        public private(set) var durable: [[UInt8]: StorageChange] = [:]
        /// Published values made durable (what a restart would republish).
        public private(set) var publishedDurable: [[UInt8]: StoredRecord] = [:]
        /// Results of the operations started on this node.
        public internal(set) var results: [OperationID: OperationResult] = [:]
        /// Every event, when `recordEvents` is on.
        public internal(set) var events: [NodeEvent] = []
        /// `Effect.resolveSeeds` seen (the simulation resolves nothing; tests call `setSeeds`).
        public internal(set) var resolveRequests = 0
        var nextWake: Timestamp

        init(engine: DHTEngine, endpoint: Endpoint) {
            self.engine = engine
            self.endpoint = endpoint
            self.nextWake = engine.nextWakeup
        }

        func restore(durable: [[UInt8]: StorageChange], published: [[UInt8]: StoredRecord]) {
            self.durable = durable
            self.publishedDurable = published
        }

        func persist(_ changes: [StorageChange]) {
            for c in changes {
                switch c {
                case .put(let r): durable[r.key] = c
                case .delete(_, let key): durable.removeValue(forKey: key)
                case .putPublished(let r): publishedDurable[r.key] = r
                case .deletePublished(_, let key): publishedDurable.removeValue(forKey: key)
                }
            }
        }
    }

    private struct Delivery {
        var at: Timestamp
        var sequence: Int
        var datagram: [UInt8]
        var from: Endpoint
        var to: Endpoint
    }

    public private(set) var now: Timestamp
    public let latency: Duration
    public var recordEvents = false
    /// The share of datagrams lost in transit, drawn from `lossRandom` (deterministic).
    public var lossRate = 0.0
    public var lossRandom = SeededRandom(seed: 0x105e)
    public private(set) var nodes: [Node] = []
    private var byEndpoint: [Endpoint: Node] = [:]
    private var queue: [Delivery] = []
    private var sequence = 0
    private var nextOperation: UInt64 = 1
    public private(set) var datagramsDelivered = 0
    /// The store rule given to every engine added or restarted from now on (the engine's own
    /// default, accept everything, unless a test injects BitDust's).
    public var storeRule: StoreRule = StoreRules.acceptAll

    public init(start: Timestamp = Timestamp(unixSeconds: 1_800_000_000), latency: Duration = .milliseconds(5)) {
        self.now = start
        self.latency = latency
    }

    /// Adds a node on 10.x.y.z:14441-style simulated addresses (never real sockets). Layers
    /// without an entry in `ids` get a random id from `seed`; `records` and `published` are
    /// given to the engine as if loaded from storage.
    @discardableResult
    public func addNode(
        configuration: EngineConfiguration = EngineConfiguration(), seed: UInt64, layers: [Int] = [0],
        ids: [Int: NodeID] = [:], records: [StoredRecord] = [], published: [StoredRecord] = []
    ) -> Node {
        let index = nodes.count
        let endpoint = Endpoint(address: 0x0a00_0000 | UInt32(index + 1), port: 14441)
        let random = SeededRandom(seed: seed)
        let engine = DHTEngine(
            configuration: configuration, random: random, now: now,
            layerIDs: Dictionary(uniqueKeysWithValues: layers.map { ($0, ids[$0]) }),
            records: records, published: published)
        engine.storeRule = storeRule
        let node = Node(engine: engine, endpoint: endpoint)
        nodes.append(node)
        byEndpoint[endpoint] = node
        return node
    }

    /// Replaces `node` by a fresh engine at the same address built only from what it made
    /// durable (ids, records, published values), as a restart of the process would. The new
    /// node still has to join.
    @discardableResult
    public func restart(_ node: Node, configuration: EngineConfiguration = EngineConfiguration(), seed: UInt64) -> Node {
        var ids: [Int: NodeID?] = [:]
        for layer in node.engine.layerIDs { ids[layer] = node.engine.nodeID(layer: layer) }
        let records = node.durable.values.compactMap { change -> StoredRecord? in
            if case .put(let r) = change { return r }
            return nil
        }
        let engine = DHTEngine(
            configuration: configuration, random: SeededRandom(seed: seed), now: now, layerIDs: ids,
            records: records, published: Array(node.publishedDurable.values))
        engine.storeRule = storeRule
        let fresh = Node(engine: engine, endpoint: node.endpoint)
        fresh.restore(durable: node.durable, published: node.publishedDurable)
        nodes[nodes.firstIndex { $0 === node }!] = fresh
        byEndpoint[node.endpoint] = fresh
        return fresh
    }

    /// Starts an operation on `node` and returns its id; the result lands in `node.results`.
    @discardableResult
    public func start(_ operation: Operation, on node: Node) -> OperationID {
        let id = OperationID(nextOperation)
        nextOperation += 1
        apply(node.engine.start(operation, id: id, now: now), on: node)
        return id
    }

    /// Hands `node`'s engine the seeds its host would have resolved (`Effect.resolveSeeds`).
    public func setSeeds(_ seeds: SeedSet, on node: Node) {
        apply(node.engine.setSeeds(seeds, now: now), on: node)
    }

    /// Runs until `operation` on `node` has a result or `limit` of simulated time has passed.
    @discardableResult
    public func run(until operation: OperationID, on node: Node, limit: Duration = .seconds(120)) -> OperationResult? {
        let deadline = now + limit
        while node.results[operation] == nil, step(deadline: deadline) {}
        return node.results[operation]
    }

    /// Runs for `duration` of simulated time.
    public func run(for duration: Duration) {
        let deadline = now + duration
        while step(deadline: deadline) {}
        now = deadline
    }

    /// Processes the next delivery or timer not after `deadline`; false when there is none.
    private func step(deadline: Timestamp) -> Bool {
        let nextDelivery = queue.first?.at
        let timerNode = nodes.min { $0.nextWake < $1.nextWake }
        let nextTimer = timerNode?.nextWake
        guard let t = [nextDelivery, nextTimer].compactMap({ $0 }).min(), t <= deadline else { return false }
        now = max(now, t)
        if let nextDelivery, nextDelivery == t {
            let d = queue.removeFirst()
            datagramsDelivered += 1
            if let node = byEndpoint[d.to], node.isUp {
                apply(node.engine.receive(d.datagram, from: d.from, now: now), on: node)
            }
        } else if let timerNode {
            apply(timerNode.engine.tick(now: now), on: timerNode)
        }
        return true
    }

    private func apply(_ effects: [Effect], on node: Node) {
        for effect in effects {
            switch effect {
            case .send(let datagram, let to):
                guard node.isUp else { continue }
                if lossRate > 0, Double(lossRandom.next() >> 11) / Double(UInt64(1) << 53) < lossRate { continue }
                enqueue(Delivery(at: now + latency, sequence: 0, datagram: datagram, from: node.endpoint, to: to))
            case .persist(let changes, let then):
                node.persist(changes)
                apply(then, on: node)
            case .event(let e):
                if recordEvents { node.events.append(e.event) }
            case .completed(let id, let result):
                node.results[id] = result
            case .resolveSeeds:
                node.resolveRequests += 1
            }
        }
        node.nextWake = node.engine.nextWakeup
    }

    private func enqueue(_ delivery: Delivery) {
        var d = delivery
        sequence += 1
        d.sequence = sequence
        // Deliveries all have the same latency, so appending keeps time order.
        queue.append(d)
    }
}
