import DHTCore
import DHTWire

/// An operation of the workload waiting for its result.
enum PendingOperation {
    case join
    case find(target: NodeID, startedAt: Int64)
    case get(key: Int, startedAt: Int64, ideal: Int64?, final: Bool)
    case store(key: Int)
}

/// A key the workload stores (one per store action).
struct StoredKey {
    var key: NodeID
    var storedAt: Int64
    var ok = false
}

/// The workload: joins, churn, stores, measured finds and gets, and their results.
extension Simulation {
    var end: Int64 { start + configuration.duration.nanoseconds }

    /// A time drawn uniformly in [from, to).
    func uniformTime(_ from: Int64, _ to: Int64) -> Int64 {
        to <= from ? from : from + Int64(random.next() % UInt64(to - from))
    }

    func scheduleWorkload() {
        let n = configuration.nodes
        let seeds = min(configuration.seeds, n)
        let joinEnd = start + configuration.effectiveJoinWindow.nanoseconds
        agenda.push(at: start, .join(0))
        for i in 1..<max(seeds, 1) { agenda.push(at: start + Int64(i) * 100_000_000, .join(Int32(i))) }
        var joinAt = [Int64](repeating: start, count: n)
        for i in seeds..<n {
            joinAt[i] = uniformTime(start + 1_000_000_000, joinEnd)
            agenda.push(at: joinAt[i], .join(Int32(i)))
        }
        // Churners: a fixed share of the non-seed nodes, chosen by a seeded shuffle.
        var others = Array(seeds..<n)
        for i in others.indices.reversed() where i > 0 { others.swapAt(i, Int(random.next() % UInt64(i + 1))) }
        let churners = Int((configuration.churn * Double(others.count)).rounded())
        for i in others.prefix(churners) { scheduleChurn(i, joinAt: joinAt[i]) }
        metrics.churners = churners
        let measureFrom = joinEnd + 60_000_000_000
        let storeUntil = max(measureFrom, end - 600_000_000_000)
        for j in 0..<max(configuration.minimumOperations, n) {
            agenda.push(at: uniformTime(joinEnd, storeUntil), .store(Int32(j)))
            keys.append(StoredKey(key: DHTKey.hash("dhtop-simulation-key-\(j)"), storedAt: 0))
        }
        for _ in 0..<configuration.operations(configuration.findsPerNodeHour) { agenda.push(at: uniformTime(measureFrom, end), .find) }
        for _ in 0..<configuration.operations(configuration.getsPerNodeHour) { agenda.push(at: uniformTime(measureFrom, end), .get) }
    }

    func perform(_ action: Action) {
        switch action {
        case .join(let i): bringUp(Int(i))
        case .leave(let i): leave(Int(i))
        case .back(let i): back(Int(i))
        case .store(let j): store(Int(j))
        case .find: find()
        case .get: get(final: false, key: nil)
        }
    }

    /// Whether node `i` is up and has joined (what a lookup can be expected to find).
    func isAlive(_ i: Int) -> Bool {
        guard nodes[i].joined, let engine = nodes[i].engine else { return false }
        return engine.joinState(layer: 0)?.isSettled ?? false
    }

    /// A random alive node, or nil when a few draws find none.
    func randomAliveNode() -> Int? {
        for _ in 0..<64 {
            let i = Int(random.next() % UInt64(nodes.count))
            if isAlive(i) { return i }
        }
        return nil
    }

    @discardableResult
    func startOperation(_ operation: Operation, on node: Int, _ what: PendingOperation) -> Bool {
        guard let engine = nodes[node].engine else { return false }
        let op = nextOperation
        nextOperation += 1
        pending[op] = what
        partition(node).apply(engine.start(operation, id: OperationID(op), now: Timestamp(nanoseconds: now)), on: node)
        return true
    }

    func store(_ j: Int) {
        guard let node = randomAliveNode() else { return metrics.skipped += 1 }
        keys[j].storedAt = now
        storedOrder.append(Int32(j))
        let value = BValue.string("{\"type\": \"skip_validation\", \"n\": \(j)}")
        startOperation(
            .store(key: keys[j].key, value: value, expireSeconds: configuration.expireSeconds, layer: 0), on: node, .store(key: j))
    }

    func find() {
        guard let node = randomAliveNode() else { return metrics.skipped += 1 }
        let target = random.nodeID()
        traceFindStarted(node, target: target)
        startOperation(.findNode(target, layer: 0), on: node, .find(target: target, startedAt: now))
    }

    /// A get of a random live stored key (or of `key`) from a random alive node.
    func get(final: Bool, key: Int?) {
        guard let node = randomAliveNode() else { return metrics.skipped += 1 }
        let margin = configuration.expireSeconds * 1_000_000_000 - 120_000_000_000
        var pick = key
        if pick == nil {
            // A key stored recently enough, drawn among those alone (a draw among all keys
            // would mostly hit keys not stored yet early in the run).
            while liveFrom < storedOrder.count, now - keys[Int(storedOrder[liveFrom])].storedAt >= margin { liveFrom += 1 }
            let live = storedOrder.count - liveFrom
            for _ in 0..<(live > 0 ? 16 : 0) {
                let j = Int(storedOrder[liveFrom + Int(random.next() % UInt64(live))])
                if keys[j].ok {
                    pick = j
                    break
                }
            }
        }
        guard let j = pick else { return metrics.skipped += 1 }
        let ideal = idealGet(from: node, key: keys[j].key)
        if final { finalOutstanding += 1 }
        startOperation(
            .findValue(key: keys[j].key, layer: 0, collectAll: false), on: node,
            .get(key: j, startedAt: now, ideal: ideal, final: final))
    }

    /// Operation `op` completed on `node` at time `at` (handled at the barrier after it).
    func completed(_ op: UInt64, _ result: OperationResult, on node: Int, at: Int64) {
        guard let what = pending.removeValue(forKey: op) else { return }
        switch what {
        case .join:
            nodes[node].joined = true
            missTrace?.joinedAt[node] = at
            if case .joined = result { metrics.joins += 1 } else { metrics.joinFailures += 1 }
        case .store(let j):
            if case .stored(let s) = result, s.okCount > 0 || s.storedLocally { keys[j].ok = true }
        case .find(let target, let startedAt):
            var sample = LookupSample(elapsed: at - startedAt)
            let truth = trueClosest(to: target, excluding: node)
            var summary: LookupSummary?
            if case .closest(let s) = result {
                summary = s
                sample.rounds = s.rounds
                sample.messages = s.rpcsSent
                sample.exact = s.closest.map(\.id) == truth
            }
            traceFindEnded(node, summary: summary, truth: truth, at: at)
            metrics.finds.append(sample)
        case .get(let j, let startedAt, let ideal, let final):
            var sample = GetSample(elapsed: at - startedAt, ideal: ideal, key: j)
            if case .value(let v) = result {
                sample.found = v.found
                sample.rounds = v.lookup.rounds
            }
            if final {
                finalOutstanding -= 1
                metrics.finalGets.append(sample)
            } else {
                metrics.gets.append(sample)
            }
        }
    }
}
