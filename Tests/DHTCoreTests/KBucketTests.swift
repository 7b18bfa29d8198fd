import Testing
import DHTCore
import DHTWire

@Suite("KBucket")
struct KBucketTests {
    @Test("bounds are the prefix followed by zeros / ones", arguments: [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 159, 160])
    func bounds(prefixLength: Int) {
        let prefix = NodeID(high: 0xA5A5_A5A5_A5A5_A5A5, middle: 0x5A5A_5A5A_5A5A_5A5A, low: 0xDEAD_BEEF)
        let b = KBucket(prefix: prefix, prefixLength: prefixLength, lastChanged: RT.t0)
        #expect(b.lower.commonPrefixLength(with: prefix) >= prefixLength)
        #expect(b.upper.commonPrefixLength(with: prefix) >= prefixLength)
        for bit in prefixLength..<NodeID.bitCount {
            #expect(b.lower.bit(bit) == false)
            #expect(b.upper.bit(bit) == true)
        }
        #expect(b.contains(prefix))
        #expect(b.contains(b.lower) && b.contains(b.upper))
        if let above = RT.successor(b.upper) { #expect(!b.contains(above)) }
        #expect(b.canSplit == (prefixLength < 160))
    }

    @Test func wholeSpaceBucket() {
        let b = KBucket(prefix: .max, prefixLength: 0, lastChanged: RT.t0)
        #expect(b.lower == .zero)
        #expect(b.upper == .max)
        #expect(b.contains(.zero) && b.contains(.max) && b.contains(RT.id(12345)))
        #expect(b.contacts.isEmpty && b.replacements.isEmpty && b.pendingHeadPing == nil)
    }

    @Test(
        "contains is exactly the prefix test",
        arguments: [
            ("1", "0111", false), ("1", "1000", true), ("10", "1011", true),
            ("10", "1100", false), ("0110", "0110", true), ("0110", "0111", false)
        ])
    func containsByPrefix(prefix: String, probe: String, expected: Bool) {
        let b = KBucket(prefix: RT.id(bits: prefix), prefixLength: prefix.count, lastChanged: RT.t0)
        #expect(b.contains(RT.id(bits: probe, low: 7)) == expected)
    }

    @Test func splitHalvesAreAdjacentAndKeepOrder() {
        var t = RT.table(own: .zero, k: 4)
        // Fill the single bucket with ids on both sides of the midpoint, in a known order.
        let ids = [RT.id(bits: "1", low: 1), RT.id(3), RT.id(bits: "1", low: 2), RT.id(4)]
        for (n, id) in ids.enumerated() {
            _ = t.observe(id: id, endpoint: RT.ep(n), now: RT.at(Int64(n)), isReply: false, rtt: nil)
        }
        let changes = t.observe(id: RT.id(5), endpoint: RT.ep(9), now: RT.at(10), isReply: false, rtt: nil)
        #expect(changes.first == .split(bucket: 0, newPrefixLength: 1))
        #expect(t.buckets.count == 2)
        let (low, high) = (t.buckets[0], t.buckets[1])
        #expect(low.upper == RT.id(bits: "1").keepingBelow())
        #expect(high.lower == RT.id(bits: "1"))
        #expect(high.contacts.map(\.id) == [ids[0], ids[2]])
        #expect(low.contacts.map(\.id) == [ids[1], ids[3], RT.id(5)])
        #expect(low.lastChanged == RT.at(10) && high.lastChanged == RT.at(10))
        #expect(RT.violations(t).isEmpty)
    }
}

extension NodeID {
    /// The id just below `self` (self must not be zero).
    fileprivate func keepingBelow() -> NodeID {
        if low != 0 { return NodeID(high: high, middle: middle, low: low - 1) }
        if middle != 0 { return NodeID(high: high, middle: middle - 1, low: .max) }
        return NodeID(high: high - 1, middle: .max, low: .max)
    }
}
