import DHTCore
import DHTRuntime
import DHTWire
import NodeAPI

/// `crawl` on a `DHTNode`, as Nebula crawls libp2p: starting from the layer's routing table,
/// every node met is visited once; a visit sends findNode towards a random id in each of the
/// node's buckets (common prefix 0, 1, 2, … with its id) until the buckets run empty, adds the
/// contacts returned, and pings the node on each other layer this node has. Calls start at
/// most `options.rate` a second (`Pacer`), at most `ReachLimits.crawlInFlight` visits run at once,
/// and at most `options.maxNodes` nodes are kept (`CrawlBook`).
///
/// Runs as Swift tasks; reads the node's injected clock for the elapsed time and the system's
/// random generator for targets. Thread-safe (state in actors).
enum Crawl {
    static func run(
        node: DHTNode, layer: Int, options: CrawlOptions, visited: @escaping @Sendable (CrawledNode) -> Void
    ) async -> Result<CrawlReport, OperationFailure> {
        let start = node.clock.now()
        let (seeds, otherLayers, ownID) = node.withEngine { engine in
            (
                engine.contacts(layer: layer).map { ContactTriple(id: $0.id, endpoint: $0.endpoint, layer: layer) },
                engine.layerIDs.filter { $0 != layer }.sorted(), engine.nodeID(layer: layer)
            )
        }
        guard !seeds.isEmpty else {
            return .failure(OperationFailure(.noContacts, "no contacts on layer \(layer): join through a seed first"))
        }
        let book = CrawlBook(maxNodes: options.maxNodes, excluding: ownID)
        for s in seeds { await book.meet(s, sample: nil) }
        let pacer = Pacer(perSecond: options.rate)
        let counter = RPCCounter()
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            while true {
                while running < ReachLimits.crawlInFlight, let next = await book.next() {
                    group.addTask {
                        let n = await visit(
                            next.contact, sample: next.sample, node: node, layer: layer, otherLayers: otherLayers, book: book,
                            pacer: pacer, counter: counter)
                        visited(await book.visited(next.index, responsive: n.responsive, layers: n.layers, contactsReturned: n.returned))
                    }
                    running += 1
                }
                if running == 0 { break }
                await group.next()
                running -= 1
            }
        }
        let refused = await book.refused
        var report = CrawlReport(
            layer: layer, nodes: Array(await book.nodes.prefix(ReachLimits.crawlListed)), rpcs: await counter.count,
            elapsed: node.clock.now() - start, estimate: await book.estimate())
        if refused > 0 { report.stoppedBy = "max nodes \(options.maxNodes) (\(refused) more met)" }
        return .success(report)
    }

    /// One visit: the bucket probes, then the other layers' pings (only when it answered).
    private static func visit(
        _ contact: ContactTriple, sample: Int, node: DHTNode, layer: Int, otherLayers: [Int], book: CrawlBook, pacer: Pacer,
        counter: RPCCounter
    ) async -> (responsive: Bool, layers: [Int], returned: Int) {
        var rng = SystemRandomNumberGenerator()
        var responsive = false
        var returned = 0
        var emptyStreak = 0
        for depth in 0..<ReachLimits.crawlDepths {
            // A random id sharing exactly `depth` leading bits with the node's: its bucket `depth`.
            let random = NodeID.random(using: &rng)
            var target = contact.id
            for bit in (depth + 1)..<160 { target = target.setting(bit: bit, to: random.bit(bit)) }
            target = target.setting(bit: depth, to: !contact.id.bit(depth))
            await pacer.slot()
            await counter.add()
            let answer = await node.perform(.call(contact.endpoint, method: "findNode", args: [.bytes(target.hexUTF8)], layer: layer))
            guard case .answer(_, let value) = answer else {
                if !responsive { break }  // silent from the start: one timeout is enough
                continue
            }
            responsive = true
            let contacts = (value.list ?? []).prefix(4 * 4).compactMap { ContactTriple.parse($0, layer: layer) }
            returned += contacts.count
            var inBucket = 0
            for c in contacts where c.id != contact.id {
                await book.meet(c, sample: sample)
                if c.id.commonPrefixLength(with: contact.id) == depth { inBucket += 1 }
            }
            emptyStreak = inBucket == 0 ? emptyStreak + 1 : 0
            // Buckets deeper than the network is large are empty: stop after three empty ones.
            if emptyStreak >= 3 { break }
        }
        guard responsive else { return (false, [], 0) }
        let answered = await withTaskGroup(of: Int?.self) { group in
            for other in otherLayers {
                await pacer.slot()
                await counter.add()
                group.addTask {
                    if case .pong = await node.perform(.ping(contact.endpoint, layer: other)) { return other }
                    return nil
                }
            }
            var out: [Int] = []
            for await l in group { if let l { out.append(l) } }
            return out
        }
        return (true, ([layer] + answered).sorted(), returned)
    }
}

/// Counts a crawl's RPCs. An actor.
actor RPCCounter {
    private(set) var count = 0
    func add() { count += 1 }
}
