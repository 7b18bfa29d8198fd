import Testing
import DHTCore
import DHTWire

@Suite("RoutingTable: invariants under random operations")
struct RoutingTableInvariantTests {
    /// A random id that shares a random-length prefix with `own`, so that deep buckets appear.
    private static func nearby(_ own: NodeID, _ random: SeededRandom) -> NodeID {
        let shared = random.uniform(40)
        var id = random.nodeID()
        for bit in 0..<shared { id = id.setting(bit: bit, to: own.bit(bit)) }
        return id.setting(bit: shared, to: !own.bit(shared))
    }

    @Test(
        "10,000 random operations keep the table sound",
        arguments: [
            (UInt64(1), 4, 8, 2), (UInt64(2), 4, 2, 1), (UInt64(3), 2, 0, 3), (UInt64(4), 8, 3, 2)
        ])
    func randomOperations(seed: UInt64, k: Int, cache: Int, maxFailures: Int) {
        let random = SeededRandom(seed: seed)
        let own = random.nodeID()
        var t = RoutingTable(
            ownID: own, configuration: RT.config(k: k, cache: cache, maxFailures: maxFailures),
            now: RT.t0)
        var known: [NodeID] = []  // ids we have mentioned, for repeat visits and failures
        var now = RT.t0
        var pingCount = 0, evictions = 0, splits = 0
        for step in 0..<10_000 {
            now = now + .milliseconds(Int64(random.uniform(20_000)))
            // A small endpoint pool makes address reuse (restarted peers) common.
            let endpoint = RT.ep(random.uniform(300))
            let roll = random.uniform(100)
            var changes: [RoutingChange] = []
            switch roll {
            case 0..<35:
                let id = random.uniform(3) == 0 ? random.nodeID() : Self.nearby(own, random)
                known.append(id)
                changes = t.observe(
                    id: id, endpoint: endpoint, now: now, isReply: random.uniform(2) == 0,
                    rtt: .milliseconds(Int64(random.uniform(500))))
            case 35..<55 where !known.isEmpty:
                let id = known[random.uniform(known.count)]
                let ep = t.contact(id)?.endpoint ?? t.replacement(id)?.endpoint ?? endpoint
                changes = t.observe(
                    id: id, endpoint: random.uniform(10) == 0 ? endpoint : ep, now: now,
                    isReply: true, rtt: nil)
            case 55..<75 where !known.isEmpty:
                changes = t.recordFailure(id: known[random.uniform(known.count)], now: now)
            case 75..<85:
                if let pending = t.buckets.compactMap(\.pendingHeadPing).first {
                    changes =
                        random.uniform(2) == 0
                        ? t.headPingAnswered(id: pending, now: now)
                        : t.headPingFailed(id: pending, now: now)
                }
            case 85..<90 where !known.isEmpty:
                changes = t.remove(id: known[random.uniform(known.count)])
            case 90..<95:
                for i in t.staleBuckets(now: now, olderThan: .seconds(600)) {
                    #expect(t.buckets[i].contains(t.randomID(inBucket: i, random: random)))
                    t.markRefreshed(bucket: i, now: now)
                }
            default:
                changes = t.observe(id: own, endpoint: endpoint, now: now, isReply: true, rtt: nil)
                #expect(changes.isEmpty)
            }
            for change in changes {
                switch change {
                case .pingHead: pingCount += 1
                case .evicted: evictions += 1
                case .split: splits += 1
                default: break
                }
            }
            if step % 97 == 0 || step == 9_999 {
                let problems = RT.violations(t)
                #expect(problems.isEmpty, "step \(step): \(problems.prefix(3))")
                if !problems.isEmpty { return }
            }
            // At most one outstanding head ping per bucket, by construction of the field.
            #expect(pings(in: changes) <= Set(changes.compactMap(Self.pingBucket)).count)
        }
        #expect(splits > 5 && evictions > 10)
        #expect(pingCount > 0 || cache == 0)  // with no cache there is nobody to promote
        #expect(t.contact(own) == nil)
    }

    private func pings(in changes: [RoutingChange]) -> Int {
        changes.filter { if case .pingHead = $0 { true } else { false } }.count
    }

    private static func pingBucket(_ change: RoutingChange) -> Int? {
        if case .pingHead(_, let bucket) = change { bucket } else { nil }
    }
}
