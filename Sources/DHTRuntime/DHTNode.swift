import DHTCore
import DHTStorage
import DHTWire
import Dispatch
import Logging
import Synchronization

/// A running DHT node: the engine on one private serial Dispatch queue, bound to a UDP socket,
/// with durable storage and an event hub.
///
/// Thread-safe: every public method may be called from any thread; the engine itself is only
/// touched on `queue`. Reads the clock given at creation.
public final class DHTNode: @unchecked Sendable {
    public let options: NodeOptions
    public let events = EventHub()
    public let socket: UDPSocket
    public let clock: WallClock
    let queue = DispatchQueue(label: "dhtop.node", qos: .userInitiated)
    let engine: DHTEngine
    let writer: DurableWriter?
    let logger: Logger
    private var readSource: DispatchSourceRead?
    private var timer: DispatchSourceTimer?
    private var scheduledWake: Timestamp?
    private var completions: [OperationID: @Sendable (OperationResult) -> Void] = [:]
    private let nextOperation = Atomic<UInt64>(1)
    /// recvmmsg/sendmmsg buffers (node's queue).
    private let batch = DatagramBatch()
    /// While datagrams are drained, sends queue in `batch` and go out together (node's queue).
    private var batchingSends = false
    /// Meanwhile, persists whose follow-ups only send gather here and go to the writer as one
    /// submit at the batch's end (`submitGathered`; node's queue).
    private var gathered = PersistGroup()
    private var stopped = false
    /// Persist outcomes on their way from the writer to the node's queue, and answers the
    /// writer's queue sends itself.
    private let acks: PersistOutcomes
    /// Persist effects that failed, and the latest error (node's queue).
    private var storageFailures = 0
    private var lastStorageError: String?
    /// Addresses remembered from the last run, tried as extra seeds.
    public let rememberedContacts: [Int: [Endpoint]]
    /// The engine's layers (fixed at creation), the join states last seen, callers waiting for
    /// a layer to settle (joined or genesis), and whether a seed resolution runs (node's queue).
    private let layerList: [Int]
    private var joinStates: [Int: JoinState] = [:]
    private var joinWaiters: [(layer: Int, resume: @Sendable (JoinState) -> Void)] = []
    private var resolvingSeeds = false

    /// Opens storage (when a data directory is given), binds the socket and loads the state.
    /// Call `start` to begin serving and joining.
    public init(
        options: NodeOptions, clock: WallClock = SystemClock(), random: RandomSource = SystemRandom(),
        logger: Logger = Logger(label: "dhtop.node")
    ) throws {
        self.options = options
        self.clock = clock
        self.logger = logger
        var layers = Array(Set([0] + options.layers)).sorted()
        layers.removeAll { $0 < 0 || $0 > 1023 }
        var ids: [Int: NodeID?] = [:]
        var records: [StoredRecord] = []
        var published: [StoredRecord] = []
        var remembered: [Int: [Endpoint]] = [:]
        if let dir = options.dataDirectory {
            let writer = try DurableWriter(directory: dir)
            for layer in layers {
                let id = try writer.perform { db throws(StorageError) in try db.nodeID(layer: layer) }
                ids[layer] = id
            }
            records = try writer.perform { db throws(StorageError) in try db.loadRecords() }
            published = try writer.perform { db throws(StorageError) in try db.loadPublished() }
            let contacts = try writer.perform { db throws(StorageError) in try db.loadContacts() }
            for c in contacts { remembered[c.layer, default: []].append(c.endpoint) }
            self.writer = writer
        } else {
            for layer in layers { ids[layer] = NodeID?.none }
            self.writer = nil
        }
        self.rememberedContacts = remembered
        self.socket = try UDPSocket(host: options.host, port: options.port)
        self.acks = PersistOutcomes(socket: socket)
        self.engine = DHTEngine(
            configuration: options.engine, random: random, now: clock.now(), layerIDs: ids, records: records,
            published: published)
        if let rule = options.storeRule { engine.storeRule = rule }
        self.layerList = engine.layerIDs
        writer?.afterCompletions = { [acks] in acks.sendQueued() }
        if let writer {
            for layer in layers {
                if let id = engine.nodeID(layer: layer) {
                    try writer.perform { db throws(StorageError) in try db.setNodeID(id, layer: layer) }
                }
            }
        }
    }

    /// Group-commit figures of the storage writer (nil for an ephemeral node).
    public var storageCommits: (commits: Int, submits: Int)? { writer?.commitStatistics }

    /// fdatasyncs of the storage log so far (nil for an ephemeral node).
    public var storageSyncs: Int? { writer?.syncCount }

    /// Bytes held against the storage quota and storage failures so far (any thread; blocks
    /// briefly on the node's queue).
    public var storageUse: StorageUse {
        queue.sync {
            StorageUse(
                heldBytes: engine.heldStorageBytes, layerQuotaBytes: engine.configuration.storageQuotaBytes,
                totalQuotaBytes: engine.configuration.storageTotalQuotaBytes, failures: storageFailures,
                lastError: lastStorageError)
        }
    }

    /// The bound UDP port.
    public var port: UInt16 { socket.local.port }

    /// Starts receiving and timers. Call once.
    public func start() {
        queue.sync {
            let source = DispatchSource.makeReadSource(fileDescriptor: socket.fileDescriptor, queue: queue)
            source.setEventHandler { @Sendable [weak self] in self?.drainSocket() }
            source.resume()
            readSource = source
            let t = DispatchSource.makeTimerSource(queue: queue)
            t.setEventHandler { @Sendable [weak self] in self?.timerFired() }
            t.resume()
            timer = t
            reschedule()
        }
    }

    /// Starts `operation` and calls `completion` (on the node's queue) with its result.
    public func perform(_ operation: Operation, completion: @escaping @Sendable (OperationResult) -> Void) {
        let id = OperationID(nextOperation.add(1, ordering: .relaxed).oldValue)
        queue.async {
            guard !self.stopped else {
                completion(.failed(OperationFailure(.timeout, "the node is stopping")))
                return
            }
            self.completions[id] = completion
            self.engine.emitsEvents = self.events.hasObservers
            self.run(self.engine.start(operation, id: id, now: self.clock.now()))
        }
    }

    /// Deletes this node's own copy of a record; `completion` (on the node's queue) says whether
    /// one was held.
    public func deleteLocal(key: NodeID, layer: Int, completion: @escaping @Sendable (Bool) -> Void) {
        queue.async {
            let effects = self.engine.deleteLocal(layer: layer, key: key.hexUTF8)
            self.run(effects)
            completion(!effects.isEmpty)
        }
    }

    /// Drops contact `id` from `layer`'s routing table (`DHTEngine.forgetContact`);
    /// `completion` (on the node's queue) says whether the layer knew it.
    public func forgetContact(_ id: NodeID, layer: Int, completion: @escaping @Sendable (Bool) -> Void) {
        queue.async {
            self.engine.emitsEvents = self.events.hasObservers
            guard let effects = self.engine.forgetContact(id, layer: layer, now: self.clock.now()) else {
                return completion(false)
            }
            self.run(effects)
            completion(true)
        }
    }

    /// `perform` for async callers.
    public func perform(_ operation: Operation) async -> OperationResult {
        await withCheckedContinuation { continuation in
            perform(operation) { continuation.resume(returning: $0) }
        }
    }

    /// Joins every layer through the seeds plus the contacts remembered from the last run.
    /// Returns the layer-0 result of the first attempt; a layer left alone keeps retrying
    /// (`joinState`, `waitUntilSettled`).
    public func join() async -> OperationResult {
        let seedSet = SeedSet(
            endpoints: options.seeds, unresolved: options.unresolvedSeeds,
            genesis: options.seeds.isEmpty && options.unresolvedSeeds == 0)
        queue.sync { run(engine.setSeeds(seedSet, now: clock.now())) }
        var results: [Int: OperationResult] = [:]
        for layer in engineLayers() {
            var seeds = options.seeds
            for e in rememberedContacts[layer] ?? [] where !seeds.contains(e) { seeds.append(e) }
            results[layer] = await perform(.join(seeds: seeds, layer: layer, attach: options.attach))
        }
        return results[0]!
    }

    /// `layer`'s join state (any thread; blocks briefly on the node's queue).
    public func joinState(layer: Int = 0) -> JoinState? { queue.sync { engine.joinState(layer: layer) } }

    /// Waits until `layer` is joined (a contact answered) or is a genesis node; returns that
    /// state. Waits as long as it takes: a layer alone keeps retrying its seeds.
    public func waitUntilSettled(layer: Int = 0) async -> JoinState {
        await withCheckedContinuation { continuation in
            queue.async {
                if let state = self.engine.joinState(layer: layer), state.isSettled {
                    continuation.resume(returning: state)
                } else {
                    self.joinWaiters.append((layer, { continuation.resume(returning: $0) }))
                }
            }
        }
    }

    /// Runs `body` on the node's queue with the engine, synchronously. For snapshots.
    public func withEngine<T>(_ body: (DHTEngine) -> T) -> T {
        queue.sync { body(engine) }
    }

    func engineLayers() -> [Int] { queue.sync { engine.layerIDs } }

    /// Stops serving, saves the routing table so a restart rejoins quickly, and makes every
    /// stored record durable. Blocks until done.
    public func stop() {
        // The socket is closed only once its read source is cancelled: closing first could let a
        // new socket reuse the descriptor number and lose its registration to the old source.
        let socketClosed = DispatchSemaphore(value: 0)
        let first: Bool = queue.sync { !stopped }
        guard first else { return }
        let contacts: [(Int, [Contact])] = queue.sync {
            stopped = true
            acks.close()
            if let readSource {
                let socket = self.socket
                readSource.setCancelHandler {
                    socket.close()
                    socketClosed.signal()
                }
                readSource.cancel()
            } else {
                socket.close()
                socketClosed.signal()
            }
            timer?.cancel()
            return engine.layerIDs.map { ($0, engine.contacts(layer: $0)) }
        }
        if let writer {
            for (layer, list) in contacts {
                let saved = list.map { (id: $0.id, endpoint: $0.endpoint, lastSeen: $0.lastSeen.unixSeconds) }
                _ = try? writer.perform { db throws(StorageError) in try db.saveContacts(layer: layer, saved) }
            }
            writer.flush()
            writer.close()
        }
        socketClosed.wait()
    }

    // MARK: On the node's queue

    /// Reads every waiting datagram, a batch per recvmmsg, and sends the answers of each batch
    /// with one sendmmsg. While traffic flows it keeps polling the socket for a few microseconds
    /// after the last datagram instead of going back to epoll: under load this saves a thread
    /// wake-up per datagram; when idle it costs nothing (it is never entered). After a batch
    /// that answered nothing right away (durable stores, answered after their fdatasync) it
    /// stops at the first empty read: the next requests follow those answers, a cycle later.
    private func drainSocket() {
        var handled = 0
        var emptyPolls = 0
        var pollLimit = Self.busyPolls
        batchingSends = true
        while handled < 4096, !stopped {
            let count = batch.receive(from: socket)
            guard count > 0 else {
                emptyPolls += 1
                if emptyPolls > pollLimit { break }
                continue
            }
            emptyPolls = 0
            // Per batch, not per drain: a busy-polling drain can outlive the last subscriber.
            engine.emitsEvents = events.hasObservers
            let now = clock.now()
            for i in 0..<count {
                guard let (bytes, from) = batch.datagram(i) else { continue }
                run(engine.receive(Array(bytes), from: from, now: now))
            }
            handled += count
            submitGathered()
            // Answers sent now prompt the clients' next requests within microseconds: keep
            // polling for them. Answers that wait for the disk (durable stores) go out a cycle
            // later, and so do the requests they prompt: poll only for the rest of a burst.
            pollLimit = batch.queued > 0 ? Self.busyPolls : Self.deferredPolls
            batch.flush(on: socket)
        }
        batchingSends = false
        batch.flush(on: socket)
        reschedule()
    }

    /// Empty reads tolerated in a row before waiting for epoll again (each is a ~1 µs syscall).
    public static let busyPolls = 64
    /// Empty reads tolerated after a batch that answered nothing right away (its answers wait
    /// for the disk).
    public static let deferredPolls = 0

    private func timerFired() {
        guard !stopped else { return }
        scheduledWake = nil
        engine.emitsEvents = events.hasObservers
        run(engine.tick(now: clock.now()))
        reschedule()
    }

    private func reschedule() {
        guard !stopped, let timer else { return }
        let wake = engine.nextWakeup
        if let scheduledWake, scheduledWake <= wake { return }
        scheduledWake = wake
        let delay = max(0, (wake - clock.now()).nanoseconds)
        timer.schedule(deadline: .now() + .nanoseconds(Int(min(delay, 3_600_000_000_000))), leeway: .milliseconds(5))
    }

    /// Queues a persist's outcome for the node's queue; the first of a group schedules one hop
    /// there for all of them (the writer completes a whole fsync's stores at once). Any thread.
    private func acknowledge(_ outcome: PersistOutcome) {
        acks.lock.lock()
        acks.waiting.append(outcome)
        let schedule = !acks.scheduled
        acks.scheduled = true
        acks.lock.unlock()
        if schedule { queue.async { self.runAcknowledged() } }
    }

    /// Runs the follow-ups of every persist outcome that arrived, their answers sent together
    /// with sendmmsg.
    private func runAcknowledged() {
        acks.lock.lock()
        let ready = acks.waiting
        acks.waiting = []
        acks.scheduled = false
        acks.lock.unlock()
        batchingSends = true
        for outcome in ready {
            switch outcome.result {
            case .success: run(outcome.then)
            case .failure(let e): persistFailed(outcome.changes, then: outcome.then, error: e)
            }
        }
        submitGathered()
        batchingSends = false
        batch.flush(on: socket)
    }

    /// A persist failed: count it, log it, and let the engine take the records back out of
    /// memory and answer the waiting stores with an error.
    private func persistFailed(_ changes: [StorageChange], then: [Effect], error: StorageError) {
        storageFailures += 1
        lastStorageError = error.message
        logger.error("storage failed, \(changes.count) change(s) not kept: \(error.message)")
        engine.emitsEvents = events.hasObservers
        run(engine.persistFailed(changes, then: then, reason: error.peerReason, now: clock.now()))
        reschedule()
    }

    /// Carries out effects in order: sends now, persists through the group-commit writer (the
    /// follow-ups run once durable), events to the hub, results to their callers.
    private func run(_ effects: [Effect]) {
        var events: [TimedEvent] = []
        for effect in effects {
            switch effect {
            case .send(let datagram, let to):
                let queued = batchingSends && datagram.withUnsafeBytes { batch.enqueue($0, to: to, on: socket) }
                if !queued { socket.send(datagram, to: to) }
            case .persist(let changes, let then):
                guard writer != nil else {
                    run(then)
                    continue
                }
                // Follow-ups that only send (a store's "OK", or nothing) go out from the
                // writer's queue right after the fdatasync, those of a whole receive batch
                // submitted as one; anything else hops to the node's queue.
                if PersistOutcomes.sendsOnly(then) {
                    gathered.changes += changes
                    gathered.then += then
                    if !batchingSends { submitGathered() }
                } else {
                    submitGathered()
                    submit(PersistGroup(changes: changes, then: then), sendsOnly: false)
                }
            case .event(let e):
                events.append(e)
            case .completed(let id, let result):
                completions.removeValue(forKey: id)?(result)
            case .resolveSeeds:
                resolveSeedsAgain()
            }
        }
        events.isEmpty ? () : self.events.publish(events)
        noteJoinStates()
    }

    /// Submits the gathered persists (`gathered`) to the writer as one, keeping their order
    /// before any later submit.
    private func submitGathered() {
        guard !gathered.isEmpty else { return }
        let group = gathered
        gathered = PersistGroup()
        submit(group, sendsOnly: true)
    }

    /// Submits `group`'s changes; once durable, its follow-ups that only send go out from the
    /// writer's queue, anything else (or a failure) hops to the node's queue.
    private func submit(_ group: PersistGroup, sendsOnly: Bool) {
        let acks = self.acks
        writer?.submit(group.changes) { [weak self] result in
            if case .success = result, sendsOnly {
                acks.queue(group.then)
            } else {
                self?.acknowledge(PersistOutcome(changes: group.changes, then: group.then, result: result))
            }
        }
    }

    /// Logs join-state changes (every attempt and failure) and wakes the callers waiting for a
    /// layer to settle.
    private func noteJoinStates() {
        for layer in layerList {
            guard let state = engine.joinState(layer: layer), joinStates[layer] != state else { continue }
            let previous = joinStates[layer]
            joinStates[layer] = state
            let text = "layer \(layer) \(state.description(now: clock.now()))"
            // Failures are warnings; a recovery from them is news; the rest is routine.
            switch (state, previous) {
            case (.alone, _): logger.warning("\(text)")
            case (.joined, .alone?),
                (.joined, .joining?) where previous?.progress?.attempt ?? 0 > 1:
                logger.notice("\(text)")
            default: logger.debug("\(text)")
            }
            guard state.isSettled, !joinWaiters.isEmpty else { continue }
            let ready = joinWaiters.filter { $0.layer == layer }
            joinWaiters.removeAll { $0.layer == layer }
            for waiter in ready { waiter.resume(state) }
        }
    }

    /// Resolves the seed names again off the node's queue (DNS may block) and hands the result
    /// to the engine for its next attempt; with no resolver the engine keeps its seeds.
    private func resolveSeedsAgain() {
        guard let resolver = options.seedResolver else {
            let set = SeedSet(
                endpoints: options.seeds, unresolved: options.unresolvedSeeds,
                genesis: options.seeds.isEmpty && options.unresolvedSeeds == 0)
            _ = engine.setSeeds(set, now: clock.now())
            return
        }
        guard !resolvingSeeds else { return }
        resolvingSeeds = true
        DispatchQueue.global().async { [weak self] in
            var set = resolver()
            guard let self else { return }
            for e in self.options.seeds where !set.endpoints.contains(e) { set.endpoints.append(e) }
            let resolved = set
            self.queue.async {
                self.resolvingSeeds = false
                guard !self.stopped else { return }
                self.run(self.engine.setSeeds(resolved, now: self.clock.now()))
            }
        }
    }
}
