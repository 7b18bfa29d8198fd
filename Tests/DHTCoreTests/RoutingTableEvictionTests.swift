import Testing
import DHTCore
import DHTWire

/// Own id 0; contacts "1…" with low word n at endpoint n. After `fullForeignBucket` bucket 1
/// (prefix "1") holds contacts 1…4, newcomer 5 waits in its cache and contact 1 is being pinged.
private func c(_ n: UInt32) -> NodeID { RT.id(bits: "1", low: n) }

private func fullForeignBucket(cache: Int = 8, maxFailures: Int = 2) -> (RoutingTable, [RoutingChange]) {
    var t = RT.table(own: .zero, k: 4, cache: cache, maxFailures: maxFailures)
    for n in 1...4 {
        _ = t.observe(id: c(UInt32(n)), endpoint: RT.ep(n), now: RT.at(Int64(n)), isReply: true, rtt: nil)
    }
    let changes = t.observe(id: c(5), endpoint: RT.ep(5), now: RT.at(120), isReply: false, rtt: nil)
    return (t, changes)
}

private func pings(_ changes: [RoutingChange]) -> [NodeID] {
    changes.compactMap { if case .pingHead(let h, _) = $0 { h.id } else { nil } }
}

@Suite("RoutingTable: full buckets, head pings and eviction")
struct RoutingTableEvictionTests {
    @Test func fullForeignBucketPingsHeadOnce() {
        var (t, changes) = fullForeignBucket()
        #expect(changes.count == 3)
        #expect(changes.first == .split(bucket: 0, newPrefixLength: 1))
        guard case .cachedReplacement(let newcomer, bucket: 1) = changes[1],
            case .pingHead(let head, bucket: 1) = changes[2]
        else {
            Issue.record("\(changes)")
            return
        }
        #expect(newcomer.id == c(5) && head.id == c(1))
        #expect(t.buckets[1].pendingHeadPing == c(1))
        #expect(t.contact(c(5)) == nil && t.replacement(c(5)) != nil)

        // A second newcomer, the cached one again, and pongs from known contacts: no more pings.
        var later: [RoutingChange] = []
        later += t.observe(id: c(6), endpoint: RT.ep(6), now: RT.at(121), isReply: false, rtt: nil)
        later += t.observe(id: c(5), endpoint: RT.ep(5), now: RT.at(122), isReply: false, rtt: nil)
        later += t.observe(id: c(2), endpoint: RT.ep(2), now: RT.at(123), isReply: true, rtt: nil)
        later += t.observe(id: c(3), endpoint: RT.ep(3), now: RT.at(124), isReply: true, rtt: nil)
        #expect(pings(later).isEmpty)
        #expect(t.buckets[1].replacements.map(\.id) == [c(6), c(5)])
        #expect(RT.violations(t).isEmpty)
    }

    @Test func headAnswersAndNewcomerStaysCached() {
        var (t, _) = fullForeignBucket()
        let changes = t.headPingAnswered(id: c(1), now: RT.at(125), rtt: .milliseconds(40))
        guard case .refreshed(let head, bucket: 1, endpointChanged: false)? = changes.first, changes.count == 1 else {
            Issue.record("\(changes)")
            return
        }
        #expect(head.rtt == .milliseconds(40) && head.lastReply == RT.at(125))
        #expect(t.buckets[1].pendingHeadPing == nil)
        #expect(t.buckets[1].contacts.map(\.id) == [c(2), c(3), c(4), c(1)])
        #expect(t.buckets[1].replacements.map(\.id) == [c(5)])
        // The next newcomer may ping the next stale head.
        let next = t.observe(id: c(6), endpoint: RT.ep(6), now: RT.at(126), isReply: false, rtt: nil)
        #expect(pings(next) == [c(2)])
        #expect(RT.violations(t).isEmpty)
    }

    @Test func headFailsAndReplacementIsPromoted() {
        var (t, _) = fullForeignBucket()
        _ = t.observe(id: c(6), endpoint: RT.ep(6), now: RT.at(121), isReply: false, rtt: nil)
        let changes = t.headPingFailed(id: c(1), now: RT.at(150))
        #expect(changes.count == 2)
        guard case .evicted(let gone, bucket: 1, reason: .headPingFailed) = changes[0],
            case .promoted(let promoted, bucket: 1) = changes[1]
        else {
            Issue.record("\(changes)")
            return
        }
        #expect(gone.id == c(1) && gone.failures == 1)
        #expect(promoted.id == c(6))  // the most recent candidate
        #expect(t.buckets[1].pendingHeadPing == nil)
        #expect(t.buckets[1].contacts.map(\.id) == [c(2), c(3), c(4), c(6)])
        #expect(t.buckets[1].replacements.map(\.id) == [c(5)])
        #expect(t.contact(c(1)) == nil && t.count == 4)
        #expect(RT.violations(t).isEmpty)
    }

    @Test func recentlySeenHeadIsNotPinged() {
        var (t, _) = fullForeignBucket()
        _ = t.headPingAnswered(id: c(1), now: RT.at(130))
        for n in 2...4 { _ = t.observe(id: c(UInt32(n)), endpoint: RT.ep(n), now: RT.at(130), isReply: false, rtt: nil) }
        // Every contact, head c1 included, seen at 130: within the 60 s grace until 190.
        #expect(pings(t.observe(id: c(7), endpoint: RT.ep(7), now: RT.at(150), isReply: false, rtt: nil)).isEmpty)
        #expect(pings(t.observe(id: c(8), endpoint: RT.ep(8), now: RT.at(189), isReply: false, rtt: nil)).isEmpty)
        #expect(pings(t.observe(id: c(9), endpoint: RT.ep(9), now: RT.at(190), isReply: false, rtt: nil)) == [c(1)])
    }

    @Test func lostHeadPingStopsBlockingAfterTimeout() {
        var (t, _) = fullForeignBucket()
        let timeout = t.headPingTimeout
        #expect(pings(t.observe(id: c(6), endpoint: RT.ep(6), now: RT.at(120) + timeout - .seconds(1), isReply: false, rtt: nil)).isEmpty)
        #expect(pings(t.observe(id: c(7), endpoint: RT.ep(7), now: RT.at(120) + timeout, isReply: false, rtt: nil)) == [c(1)])
    }

    @Test func restartedPeerWithFreshIDReplacesOldContactWithoutPing() {
        var (t, _) = fullForeignBucket()
        // Same bucket: takes the old contact's slot.
        let same = t.observe(id: c(77), endpoint: RT.ep(2), now: RT.at(200), isReply: true, rtt: nil)
        #expect(same.count == 2)
        guard case .evicted(let old, bucket: 1, reason: .replacedByNewID) = same[0],
            case .added(let fresh, bucket: 1) = same[1]
        else {
            Issue.record("\(same)")
            return
        }
        #expect(old.id == c(2) && fresh.id == c(77) && fresh.endpoint == RT.ep(2))
        // Other bucket: the vacated slot is filled from the cache.
        let other = t.observe(id: RT.id(9), endpoint: RT.ep(3), now: RT.at(201), isReply: false, rtt: nil)
        #expect(other.count == 3)
        guard other.count == 3,
            case .evicted(let o3, bucket: 1, reason: .replacedByNewID) = other[0],
            case .added(let n9, bucket: 0) = other[1],
            case .promoted(let p5, bucket: 1) = other[2]
        else {
            Issue.record("\(other)")
            return
        }
        #expect(o3.id == c(3) && n9.id == RT.id(9) && p5.id == c(5))
        #expect(t.contact(c(3)) == nil && t.contact(c(5)) != nil && t.contact(RT.id(9)) != nil)
        #expect(pings(same + other).isEmpty)
        #expect(RT.violations(t).isEmpty)
    }

    @Test func pingStormScenarioStaysQuiet() {
        var (t, first) = fullForeignBucket()
        var all = first
        // One client restarting 100 times on the same port with a fresh id each time, each
        // message a pong; plus a chatty cached newcomer.
        for n in 0..<100 {
            let now = RT.at(130) + .milliseconds(Int64(n) * 10)
            all += t.observe(id: c(1000 + UInt32(n)), endpoint: RT.ep(3), now: now, isReply: true, rtt: nil)
            all += t.observe(id: c(5), endpoint: RT.ep(5), now: now, isReply: false, rtt: nil)
        }
        #expect(pings(all) == [c(1)])
        #expect(t.count == 4)
        #expect(RT.violations(t).isEmpty)
    }

    @Test func cachedEndpointIsReplacedAndCacheIsCapped() {
        var (t, _) = fullForeignBucket(cache: 2)
        let sameEndpoint = t.observe(id: c(6), endpoint: RT.ep(5), now: RT.at(121), isReply: false, rtt: nil)
        #expect(sameEndpoint.count == 2)
        #expect(t.buckets[1].replacements.map(\.id) == [c(6)])
        _ = t.observe(id: c(7), endpoint: RT.ep(7), now: RT.at(122), isReply: false, rtt: nil)
        let overflow = t.observe(id: c(8), endpoint: RT.ep(8), now: RT.at(123), isReply: false, rtt: nil)
        #expect(overflow.contains { if case .droppedReplacement(let d, bucket: 1) = $0 { d.id == c(6) } else { false } })
        #expect(t.buckets[1].replacements.map(\.id) == [c(7), c(8)])
        #expect(RT.violations(t).isEmpty)
    }

    @Test("evicts after maxFailures consecutive timeouts", arguments: [1, 2, 3])
    func maxFailuresEviction(maxFailures: Int) {
        var (t, _) = fullForeignBucket(maxFailures: maxFailures)
        for f in 1..<maxFailures {
            let changes = t.recordFailure(id: c(3), now: RT.at(200 + Int64(f)))
            #expect(changes == [.failed(t.contact(c(3))!, failures: f)])
        }
        let changes = t.recordFailure(id: c(3), now: RT.at(300))
        #expect(changes.count == 2)
        guard case .evicted(let gone, bucket: 1, reason: .unresponsive(failures: maxFailures)) = changes[0],
            case .promoted(let p, bucket: 1) = changes[1]
        else {
            Issue.record("\(changes)")
            return
        }
        #expect(gone.id == c(3) && p.id == c(5))
        #expect(t.buckets[1].pendingHeadPing == c(1))  // an unrelated eviction keeps the head ping
        #expect(RT.violations(t).isEmpty)
    }

    @Test func replyResetsFailures() {
        var (t, _) = fullForeignBucket(maxFailures: 2)
        _ = t.recordFailure(id: c(3), now: RT.at(200))
        _ = t.observe(id: c(3), endpoint: RT.ep(3), now: RT.at(201), isReply: true, rtt: nil)
        #expect(t.recordFailure(id: c(3), now: RT.at(202)).count == 1)
        #expect(t.contact(c(3))?.failures == 1)
    }

    @Test func removeLiveCachedAndUnknown() {
        var (t, _) = fullForeignBucket()
        let live = t.remove(id: c(1))
        #expect(live.count == 2)
        guard case .evicted(_, bucket: 1, reason: .removed) = live[0], case .promoted(let p, bucket: 1) = live[1] else {
            Issue.record("\(live)")
            return
        }
        #expect(p.id == c(5))
        #expect(t.buckets[1].pendingHeadPing == nil)
        _ = t.observe(id: c(6), endpoint: RT.ep(6), now: RT.at(130), isReply: false, rtt: nil)
        #expect(t.remove(id: c(6)).count == 1)
        #expect(t.remove(id: c(99)).isEmpty)
        #expect(t.recordFailure(id: c(99), now: RT.at(131)).isEmpty)
        #expect(RT.violations(t).isEmpty)
    }
}
