import DHTCore
import DHTWire

/// What the simulation watches of each measured find when asked to explain the inexact ones
/// (`Simulation.missTrace`): the findNode queries the asking node sends for the find's target,
/// which were lost, which answered and with which contacts; when each node last came up and
/// joined. Costs nothing while off. A reference type owned by one `Simulation`; not thread-safe.
final class MissTracer {
    /// One query of a traced find, to one node.
    struct Query {
        var sends = 0
        var lost = 0
        var answers = 0
        var answersLost = 0
        var contacts: [NodeID] = []
    }

    /// One traced find.
    struct Find {
        var target: NodeID
        var targetHex: [UInt8]
        var startedAt: Int64
        var queries: [Int: Query] = [:]
        var rpcTo: [NodeID: Int] = [:]
    }

    let report: (String) -> Void
    var upSince: [Int64]
    var joinedAt: [Int64]
    /// Finds running, by asking node (at most one traced per node at a time).
    var finds: [Int: Find] = [:]
    /// Misses by cause (`MissCause`), for the summary line.
    var causes: [String: Int] = [:]

    init(nodes: Int, report: @escaping (String) -> Void) {
        self.report = report
        upSince = [Int64](repeating: 0, count: nodes)
        joinedAt = [Int64](repeating: 0, count: nodes)
    }

    /// A datagram `from → to` was sent (`lost`: dropped by the network).
    func sent(_ datagram: [UInt8], from: Int, to: Int, lost: Bool) {
        guard finds[from] != nil || finds[to] != nil else { return }
        let payload: [UInt8]
        switch Framing.classify(datagram) {
        case .unframed(let bytes): payload = bytes
        case .framed(let header, let body) where header.total == 1: payload = Array(body)
        default: return
        }
        guard let message = try? MessageCodec.decode(payload) else { return }
        switch message.body {
        case .request(let method, let args):
            guard method == "findNode", var f = finds[from], case .bytes(let t)? = args.first, t == f.targetHex else { return }
            f.rpcTo[message.rpcID] = to
            f.queries[to, default: Query()].sends += 1
            if lost { f.queries[to, default: Query()].lost += 1 }
            finds[from] = f
        case .response(let value):
            guard var f = finds[to], let q = f.rpcTo[message.rpcID], q == from else { return }
            f.queries[q, default: Query()].answers += 1
            if lost { f.queries[q, default: Query()].answersLost += 1 }
            if f.queries[q]!.contacts.isEmpty, let list = value.list {
                f.queries[q]!.contacts = list.compactMap { ContactTriple.parse($0, layer: 0)?.id }
            }
            finds[to] = f
        default: return
        }
    }
}

extension Simulation {
    /// Starts tracing a find of `target` by `node`.
    func traceFindStarted(_ node: Int, target: NodeID) {
        missTrace?.finds[node] = MissTracer.Find(target: target, targetHex: target.hexUTF8, startedAt: now)
    }

    /// A traced find ended: when it did not return exactly the true k closest, reports why.
    func traceFindEnded(_ node: Int, summary: LookupSummary?, truth: [NodeID], at: Int64) {
        guard let tracer = missTrace, let f = tracer.finds.removeValue(forKey: node) else { return }
        let returned = summary?.closest.map(\.id) ?? []
        guard returned != truth else { return }
        let byID = Dictionary(nodes.indices.map { (nodes[$0].id, $0) }, uniquingKeysWith: { a, _ in a })
        let ms = { (t: Int64) in Format.fixed(Double(t) / 1e6, 0) }
        var lines = [
            "miss: node \(node) find \(f.target.hex.prefix(8)) at \(ms(f.startedAt - start)) ms: "
                + "\(summary?.termination?.rawValue ?? "failed"), rounds \(summary?.rounds ?? 0), "
                + "rpcs \(summary?.rpcsSent ?? 0), timeouts \(summary?.timeouts ?? 0), queried \(f.queries.count), "
                + "took \(ms(at - f.startedAt)) ms"
        ]
        for (rank, id) in truth.enumerated() where !returned.contains(id) {
            guard let m = byID[id] else { continue }
            let cause = missCause(m, find: f, asker: node)
            tracer.causes[cause, default: 0] += 1
            let q = f.queries[m]
            let holders = f.queries.keys.filter { hasContact($0, id) }.sorted()
            let told = f.queries.filter { $0.value.contacts.contains(id) }.keys.sorted()
            let neighbours = closestAlive(to: id, excluding: m, count: 8)
            let knownBy = neighbours.filter { hasContact($0, id) }.count
            lines.append(
                "  missed #\(rank) node \(m) (\(cause)): up since \(ms(now - tracer.upSince[m])) ms ago, joined \(ms(now - tracer.joinedAt[m])) ms ago, "
                    + "departures \(nodes[m].departures); queries to it: sends \(q?.sends ?? 0) lost \(q?.lost ?? 0) answers \(q?.answers ?? 0) "
                    + "answers lost \(q?.answersLost ?? 0); queried nodes holding it now \(holders), told of it by \(told); "
                    + "in asker's table \(hasContact(node, id)); its 8 closest alive neighbours holding it \(knownBy)/8")
        }
        for id in truth where !returned.contains(id) {
            for h in f.queries.keys.sorted() where hasContact(h, id) {
                let answer = describeAnswer(f.queries[h]!.contacts, of: h, target: f.target, missed: id, byID: byID)
                lines.append("    holder \(h) answered \(f.queries[h]!.answers): " + answer)
            }
        }
        for (rank, id) in returned.enumerated() where !truth.contains(id) {
            let i = byID[id]
            lines.append("  returned #\(rank) node \(i.map(String.init) ?? "?") instead, alive \(i.map(isAlive) ?? false)")
        }
        for line in lines { tracer.report(line) }
    }

    /// Why missed node `m` was not found: `lost` (queried, every send or answer lost), `slow`
    /// (queried, answered too late or never), `unasked` (named to the lookup, never asked),
    /// `unknown-held` (no answer named it though a queried node holds it now), `unknown` (no
    /// queried node holds it).
    func missCause(_ m: Int, find f: MissTracer.Find, asker: Int) -> String {
        if let q = f.queries[m] {
            return q.sends > 0 && q.lost + q.answersLost >= q.sends ? "lost" : "slow"
        }
        if f.queries.values.contains(where: { $0.contacts.contains(nodes[m].id) }) { return "unasked" }
        return f.queries.keys.contains { hasContact($0, nodes[m].id) } ? "unknown-held" : "unknown"
    }

    /// The contacts `h` answered with: node, alive, closer than the missed node, and what `h`'s
    /// table says of it (failures, seconds since last seen).
    func describeAnswer(_ contacts: [NodeID], of h: Int, target: NodeID, missed: NodeID, byID: [NodeID: Int]) -> String {
        let table = nodes[h].engine?.routingTable(layer: 0)
        return contacts.map { id in
            let i = byID[id]
            let c = table?.contact(id)
            let seen = c.map { Format.fixed(Double(now - $0.lastSeen.nanoseconds) / 1e9, 0) } ?? "-"
            let state = i.map { isAlive($0) ? "alive" : nodes[$0].online ? "joining" : "down" } ?? "?"
            return "\(i.map(String.init) ?? "?")[\(state)\((id ^ target) < (missed ^ target) ? ",closer" : "") f\(c?.failures ?? -1) seen \(seen)s]"
        }.joined(separator: " ")
    }

    /// Whether node `i` is up and has `id` among its live contacts.
    func hasContact(_ i: Int, _ id: NodeID) -> Bool {
        nodes[i].engine?.routingTable(layer: 0)?.contact(id) != nil
    }

    /// The misses by cause, one line (nil when not tracing).
    var missSummary: String? {
        guard let tracer = missTrace else { return nil }
        return "misses by cause: " + tracer.causes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
