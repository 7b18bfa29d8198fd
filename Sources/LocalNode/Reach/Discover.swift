import DHTCore
import DHTRuntime
import DHTWire
import NodeAPI

/// BitDust's service discovery (`bitdust/p2p/lookup.py`, spec §7) on a `DHTNode`: a findNode of
/// a random key on the layer, then `request(name)` to every node it found not asked before;
/// again with a new random key until `count` distinct providers, the time budget, or the lookup
/// and request budgets (`ReachLimits`). Each provider is reported as it is found.
///
/// Runs as a Swift task; reads the node's injected clock for the time budget and the system's
/// random generator for the keys. Thread-safe (no shared state).
enum Discover {
    static func run(
        node: DHTNode, layer: Int, options: DiscoverOptions, found: @escaping @Sendable (DiscoveredNode) -> Void
    ) async -> Result<DiscoverReport, OperationFailure> {
        let name = DiscoverOptions.requestName(layer: layer)
        let start = node.clock.now()
        let deadline = start + .seconds(options.seconds)
        var report = DiscoverReport(layer: layer, name: name, wanted: options.count)
        var asked = Set<NodeID>()
        var rng = SystemRandomNumberGenerator()
        var emptyLookups = 0
        while report.providers.count < options.count {
            if node.clock.now() >= deadline {
                report.stoppedBy = "time budget of \(options.seconds) s"
                break
            }
            if report.lookups >= ReachLimits.discoverLookups {
                report.stoppedBy = "\(ReachLimits.discoverLookups) lookups"
                break
            }
            report.lookups += 1
            let result = await node.perform(.findNode(NodeID.random(using: &rng), layer: layer))
            let contacts: [ContactTriple]
            switch result {
            case .closest(let s): contacts = s.closest
            case .failed(let f) where report.lookups == 1 && f.code != .timeout: return .failure(f)
            default: contacts = []
            }
            let fresh = contacts.filter { asked.insert($0.id).inserted }
            if fresh.isEmpty {
                // Every node near this key was asked already: a small network is exhausted
                // after a few such lookups.
                emptyLookups += 1
                if emptyLookups >= 3, !asked.isEmpty {
                    report.stoppedBy = "no new nodes in 3 lookups"
                    break
                }
                continue
            }
            emptyLookups = 0
            let budget = ReachLimits.discoverRequests - report.requests
            let batch = Array(fresh.prefix(max(0, budget)))
            report.requests += batch.count
            let answers = await withTaskGroup(of: (ContactTriple, OperationResult).self) { group in
                for c in batch {
                    group.addTask { (c, await node.perform(.call(c.endpoint, method: "request", args: [.string(name)], layer: layer))) }
                }
                var out: [(ContactTriple, OperationResult)] = []
                for await a in group { out.append(a) }
                return out
            }
            for (contact, answer) in answers {
                guard case .answer(let peer, let value) = answer else {
                    report.silent += 1
                    continue
                }
                guard let text = DiscoveredNode.answerText(value, name: name) else {
                    report.withoutData += 1
                    continue
                }
                guard report.providers.count < options.count else { continue }
                let provider = DiscoveredNode(id: peer.id, endpoint: contact.endpoint, answer: text, rtt: peer.rtt)
                report.providers.append(provider)
                found(provider)
            }
            if report.requests >= ReachLimits.discoverRequests, report.providers.count < options.count {
                report.stoppedBy = "\(ReachLimits.discoverRequests) requests"
                break
            }
        }
        report.elapsed = node.clock.now() - start
        return .success(report)
    }
}
