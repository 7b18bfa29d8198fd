import Testing
import DHTCore
import DHTWire

@Suite("RoutingTable: adding and splitting")
struct RoutingTableSplitTests {
    @Test func ownIDIsNeverAdded() {
        let own = RT.id(bits: "0101", low: 42)
        var t = RT.table(own: own)
        #expect(t.observe(id: own, endpoint: RT.ep(1), now: RT.t0, isReply: true, rtt: .milliseconds(5)).isEmpty)
        #expect(t.count == 0)
        #expect(t.contact(own) == nil)
        #expect(t.closest(to: own, count: 10).isEmpty)
    }

    @Test func addsUntilFullThenSplits() {
        var t = RT.table(own: .zero, k: 4)
        for n in 1...4 {
            let changes = t.observe(id: RT.id(bits: "1", low: UInt32(n)), endpoint: RT.ep(n), now: RT.at(Int64(n)), isReply: false, rtt: nil)
            #expect(changes.count == 1)
            guard case .added(let c, bucket: 0)? = changes.first else {
                Issue.record("expected .added")
                return
            }
            #expect(c.firstSeen == RT.at(Int64(n)) && c.lastReply == nil)
        }
        #expect(t.buckets.count == 1 && t.count == 4)
        // A fifth contact near our own id: the whole-space bucket holds us, so it splits.
        let changes = t.observe(id: RT.id(7), endpoint: RT.ep(7), now: RT.at(9), isReply: true, rtt: .milliseconds(3))
        #expect(changes.count == 2)
        #expect(changes.first == .split(bucket: 0, newPrefixLength: 1))
        guard case .added(let c, bucket: 0)? = changes.last else {
            Issue.record("expected .added")
            return
        }
        #expect(c.lastReply == RT.at(9) && c.rtt == .milliseconds(3))
        #expect(t.buckets.map(\.contacts.count) == [1, 4])
        #expect(RT.violations(t).isEmpty)
    }

    @Test func splitsRepeatedlyUntilTheNewcomerFits() {
        // Own id 0; four contacts in [0, 2^32) fill the bucket containing us all the way down.
        var t = RT.table(own: .zero, k: 4)
        for n in 0..<4 {
            _ = t.observe(id: RT.id(0x8000_0000 | UInt32(n)), endpoint: RT.ep(n), now: RT.t0, isReply: false, rtt: nil)
        }
        // This one shares 159 bits with them only up to bit 128: 128 splits are needed.
        let changes = t.observe(id: RT.id(1), endpoint: RT.ep(99), now: RT.at(1), isReply: false, rtt: nil)
        let splits = changes.filter { if case .split = $0 { true } else { false } }
        #expect(splits.count == 129)
        #expect(t.buckets.count == 130)
        #expect(t.contact(RT.id(1)) != nil)
        #expect(t.count == 5)
        #expect(RT.violations(t).isEmpty)
        // Prefix lengths increase by one per split, and the deepest buckets surround our id.
        #expect(t.buckets[0].prefixLength == 129 && t.buckets[1].prefixLength == 129)
        #expect(t.buckets.last?.prefixLength == 1)
    }

    struct SplitCase: Sendable, CustomTestStringConvertible {
        let own: String
        let ids: [String]
        let expectedPrefixLengths: [Int]
        var testDescription: String { "own \(own) ids \(ids)" }
    }

    @Test(
        "bucket layout after inserts",
        arguments: [
            // k = 2. Own id "000…": contacts "1…" fill the top half, the rest keep splitting.
            SplitCase(own: "000", ids: ["1", "11", "01"], expectedPrefixLengths: [1, 1]),
            SplitCase(own: "000", ids: ["1", "11", "01", "011"], expectedPrefixLengths: [1, 1]),
            SplitCase(own: "000", ids: ["1", "11", "01", "011", "001"], expectedPrefixLengths: [2, 2, 1]),
            SplitCase(own: "000", ids: ["1", "11", "01", "011", "001", "0011", "0001"], expectedPrefixLengths: [3, 3, 2, 1]),
            SplitCase(own: "111", ids: ["0", "01", "10", "101"], expectedPrefixLengths: [1, 1]),
            SplitCase(own: "111", ids: ["0", "01", "10", "101", "110"], expectedPrefixLengths: [1, 2, 2]),
            SplitCase(own: "10", ids: ["0", "11", "111", "100"], expectedPrefixLengths: [1, 2, 2])
        ])
    func layout(_ c: SplitCase) {
        var t = RT.table(own: RT.id(bits: c.own), k: 2)
        for (n, bits) in c.ids.enumerated() {
            _ = t.observe(id: RT.id(bits: bits, low: UInt32(n + 1)), endpoint: RT.ep(n), now: RT.t0, isReply: false, rtt: nil)
        }
        #expect(t.buckets.map(\.prefixLength) == c.expectedPrefixLengths)
        #expect(t.count == c.ids.count)
        #expect(RT.violations(t).isEmpty)
        #expect(t.buckets.filter { $0.contains(t.ownID) }.count == 1)
    }

    @Test func bucketIndexMatchesContains() {
        var t = RT.table(own: RT.id(bits: "0110"), k: 2)
        let random = SeededRandom(seed: 7)
        for n in 0..<200 {
            _ = t.observe(id: random.nodeID(), endpoint: RT.ep(n), now: RT.t0, isReply: false, rtt: nil)
        }
        #expect(t.buckets.count > 3)
        for _ in 0..<1_000 {
            let probe = random.nodeID()
            let i = t.bucketIndex(for: probe)
            #expect(t.buckets[i].contains(probe))
        }
        for (i, b) in t.buckets.enumerated() {
            #expect(t.bucketIndex(for: b.lower) == i && t.bucketIndex(for: b.upper) == i)
        }
        #expect(RT.violations(t).isEmpty)
    }

    @Test func knownContactMovesToTailAndUpdates() {
        var t = RT.table(own: .zero)
        for n in 1...3 {
            _ = t.observe(id: RT.id(bits: "1", low: UInt32(n)), endpoint: RT.ep(n), now: RT.at(Int64(n)), isReply: false, rtt: nil)
        }
        _ = t.recordFailure(id: RT.id(bits: "1", low: 1), now: RT.at(4))
        #expect(t.contact(RT.id(bits: "1", low: 1))?.failures == 1)
        let changes = t.observe(id: RT.id(bits: "1", low: 1), endpoint: RT.ep(50), now: RT.at(5), isReply: true, rtt: .milliseconds(20))
        guard case .refreshed(let c, bucket: 0, endpointChanged: true)? = changes.last else {
            Issue.record("expected .refreshed, got \(changes)")
            return
        }
        #expect(c.endpoint == RT.ep(50) && c.failures == 0 && c.lastReply == RT.at(5) && c.rtt == .milliseconds(20))
        #expect(c.firstSeen == RT.at(1) && c.lastSeen == RT.at(5))
        #expect(t.buckets[0].contacts.map(\.id.low) == [2, 3, 1])
        #expect(t.buckets[0].lastChanged == RT.at(5))
        #expect(t.contact(at: RT.ep(50))?.id == c.id)
        #expect(t.contact(at: RT.ep(1)) == nil)
        // A request (not a reply) refreshes but does not reset failures.
        _ = t.recordFailure(id: RT.id(bits: "1", low: 2), now: RT.at(6))
        _ = t.observe(id: RT.id(bits: "1", low: 2), endpoint: RT.ep(2), now: RT.at(7), isReply: false, rtt: nil)
        #expect(t.contact(RT.id(bits: "1", low: 2))?.failures == 1)
        #expect(t.buckets[0].contacts.map(\.id.low) == [3, 1, 2])
        #expect(RT.violations(t).isEmpty)
    }

    @Test func knownContactMovingOntoAnotherEndpointEvictsTheOther() {
        var t = RT.table(own: .zero)
        for n in 1...3 {
            _ = t.observe(id: RT.id(bits: "1", low: UInt32(n)), endpoint: RT.ep(n), now: RT.t0, isReply: false, rtt: nil)
        }
        let changes = t.observe(id: RT.id(bits: "1", low: 1), endpoint: RT.ep(3), now: RT.at(5), isReply: true, rtt: nil)
        #expect(changes.count == 2)
        guard case .evicted(let gone, bucket: 0, reason: .replacedByNewID) = changes.first,
            case .refreshed(let moved, bucket: 0, endpointChanged: true) = changes.last
        else {
            Issue.record("\(changes)")
            return
        }
        #expect(gone.id.low == 3 && moved.id.low == 1 && moved.endpoint == RT.ep(3))
        #expect(t.count == 2 && t.contact(at: RT.ep(3))?.id == moved.id && t.contact(at: RT.ep(1)) == nil)
        #expect(RT.violations(t).isEmpty)
    }

    @Test func requestFromPendingHeadResolvesThePing() {
        var t = RT.table(own: .zero)
        for n in 1...4 {
            _ = t.observe(id: RT.id(bits: "1", low: UInt32(n)), endpoint: RT.ep(n), now: RT.t0, isReply: false, rtt: nil)
        }
        let first = t.observe(id: RT.id(bits: "1", low: 5), endpoint: RT.ep(5), now: RT.at(100), isReply: false, rtt: nil)
        #expect(first.contains { if case .pingHead = $0 { true } else { false } })
        #expect(t.buckets[1].pendingHeadPing == RT.id(bits: "1", low: 1))
        _ = t.observe(id: RT.id(bits: "1", low: 1), endpoint: RT.ep(1), now: RT.at(101), isReply: false, rtt: nil)
        #expect(t.buckets[1].pendingHeadPing == nil)
        // The ping's late timeout is then an ordinary failure, not a head eviction.
        #expect(t.headPingFailed(id: RT.id(bits: "1", low: 1), now: RT.at(105)).count == 1)
        #expect(t.contact(RT.id(bits: "1", low: 1)) != nil)
    }
}
