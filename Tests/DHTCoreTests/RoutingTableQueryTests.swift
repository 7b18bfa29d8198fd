import Testing
import DHTCore
import DHTWire

@Suite("RoutingTable: closest, refresh and random ids")
struct RoutingTableQueryTests {
    /// A table built from 1,000 random peers (k = 4 keeps only some of them).
    private static func populated(seed: UInt64, k: Int = 4) -> (RoutingTable, SeededRandom) {
        let random = SeededRandom(seed: seed)
        var t = RoutingTable(ownID: random.nodeID(), configuration: RT.config(k: k), now: RT.t0)
        for n in 0..<1_000 {
            _ = t.observe(id: random.nodeID(), endpoint: RT.ep(n), now: RT.at(Int64(n)), isReply: false, rtt: nil)
        }
        return (t, random)
    }

    @Test("closest equals a brute-force sort", arguments: [1 as UInt64, 2, 3])
    func closestIsExact(seed: UInt64) {
        let (t, random) = Self.populated(seed: seed, k: 20)
        let everyone = t.allContacts
        #expect(everyone.count > 100)
        for _ in 0..<50 {
            let target = random.nodeID()
            let brute = everyone.sorted { ($0.id ^ target) < ($1.id ^ target) }
            for count in [1, 4, 20, 5_000] {
                #expect(t.closest(to: target, count: count).map(\.id) == brute.prefix(count).map(\.id))
            }
        }
    }

    @Test func closestOverOneThousandRandomContacts() {
        // k = 1_000 so that every one of the 1,000 random contacts is kept.
        let random = SeededRandom(seed: 42)
        var t = RoutingTable(ownID: random.nodeID(), configuration: RT.config(k: 1_000), now: RT.t0)
        var ids: [NodeID] = []
        for n in 0..<1_000 {
            let id = random.nodeID()
            ids.append(id)
            _ = t.observe(id: id, endpoint: RT.ep(n), now: RT.t0, isReply: false, rtt: nil)
        }
        #expect(t.count == 1_000)
        for _ in 0..<20 {
            let target = random.nodeID()
            let brute = ids.sorted { ($0 ^ target) < ($1 ^ target) }
            #expect(t.closest(to: target, count: 8).map(\.id) == Array(brute.prefix(8)))
            #expect(t.closest(to: target, count: 1_000).map(\.id) == brute)
        }
    }

    @Test func closestHonoursExclusionsAndZeroCount() {
        let (t, _) = Self.populated(seed: 9)
        let target = t.allContacts[0].id
        let top = t.closest(to: target, count: 3)
        #expect(top.first?.id == target)
        let excluded = Set(top.prefix(2).map(\.id))
        let rest = t.closest(to: target, count: 3, excluding: excluded)
        #expect(rest.first?.id == top[2].id)
        #expect(rest.allSatisfy { !excluded.contains($0.id) })
        #expect(t.closest(to: target, count: 0).isEmpty)
        // The one-id form skips exactly what a one-element set skips.
        for skipped in top.map(\.id) {
            #expect(t.closest(to: target, count: 5, excludingID: skipped).map(\.id) == t.closest(to: target, count: 5, excluding: [skipped]).map(\.id))
        }
        #expect(t.closest(to: target, count: 5, excludingID: nil).map(\.id) == t.closest(to: target, count: 5).map(\.id))
        #expect(t.closestTriples(to: target, count: 2, layer: 3).map(\.layer) == [3, 3])
    }

    @Test(
        "closest with visible distances",
        arguments: [
            (UInt32(0b0000), [UInt32(0b0001), 0b0010, 0b0011]),
            (UInt32(0b0111), [UInt32(0b0110), 0b0101, 0b0100]),
            (UInt32(0b1000), [UInt32(0b1001), 0b1010, 0b1011]),
            (UInt32(0b1111), [UInt32(0b1110), 0b1101, 0b1100])
        ])
    func smallIDs(target: UInt32, expected: [UInt32]) {
        var t = RT.table(own: RT.id(bits: "1"), k: 16)
        for n in UInt32(1)...15 where n != target {
            _ = t.observe(id: RT.id(n), endpoint: RT.ep(Int(n)), now: RT.t0, isReply: false, rtt: nil)
        }
        #expect(t.closest(to: RT.id(target), count: 3).map(\.id.low) == expected)
    }

    @Test func staleBucketsAndMarkRefreshed() {
        var t = RT.table(own: .zero, k: 1)
        _ = t.observe(id: RT.id(bits: "1"), endpoint: RT.ep(1), now: RT.at(0), isReply: false, rtt: nil)
        _ = t.observe(id: RT.id(bits: "01"), endpoint: RT.ep(2), now: RT.at(100), isReply: false, rtt: nil)
        // The second insert split the whole-space bucket at 100: both halves count from then.
        #expect(t.buckets.map(\.prefixLength) == [1, 1])
        #expect(t.staleBuckets(now: RT.at(699), olderThan: .seconds(600)).isEmpty)
        #expect(t.staleBuckets(now: RT.at(700), olderThan: .seconds(600)) == [0, 1])
        t.markRefreshed(bucket: 0, now: RT.at(650))
        _ = t.observe(id: RT.id(bits: "1"), endpoint: RT.ep(1), now: RT.at(660), isReply: false, rtt: nil)
        #expect(t.staleBuckets(now: RT.at(1_200), olderThan: .seconds(600)).isEmpty)
        #expect(t.staleBuckets(now: RT.at(1_250), olderThan: .seconds(600)) == [0])
        #expect(t.staleBuckets(now: RT.at(1_260), olderThan: .seconds(600)) == [0, 1])
    }

    @Test("randomID stays inside its bucket", arguments: [5 as UInt64, 6])
    func randomIDInRange(seed: UInt64) {
        let (t, random) = Self.populated(seed: seed)
        #expect(t.buckets.count > 5)
        for index in t.buckets.indices {
            let b = t.buckets[index]
            var sawLowHalf = false, sawHighHalf = false
            for _ in 0..<1_000 {
                let id = t.randomID(inBucket: index, random: random)
                #expect(b.contains(id))
                #expect(t.bucketIndex(for: id) == index)
                if b.canSplit { if id.bit(b.prefixLength) { sawHighHalf = true } else { sawLowHalf = true } }
            }
            #expect(sawLowHalf && sawHighHalf)  // the free bits really vary
        }
    }

    @Test func randomIDInDeepBuckets() {
        let random = SeededRandom(seed: 11)
        // Own id 0, k = 1: a contact with only bit L set, then the id 1, split the table down to
        // prefix length L + 1, exercising masks on every word boundary.
        for length in [0, 1, 63, 64, 65, 127, 128, 129, 158] {
            var t = RoutingTable(ownID: .zero, configuration: RT.config(k: 1), now: RT.t0)
            _ = t.observe(
                id: NodeID.zero.setting(bit: length, to: true), endpoint: RT.ep(1),
                now: RT.t0, isReply: false, rtt: nil)
            _ = t.observe(id: RT.id(1), endpoint: RT.ep(2), now: RT.t0, isReply: false, rtt: nil)
            #expect(t.buckets.count == length + 2)
            #expect(t.buckets[0].prefixLength == length + 1)
            for index in t.buckets.indices {
                for _ in 0..<50 { #expect(t.buckets[index].contains(t.randomID(inBucket: index, random: random))) }
            }
            #expect(RT.violations(t).isEmpty)
        }
    }
}
