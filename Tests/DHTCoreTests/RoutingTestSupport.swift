@testable import DHTCore
import DHTWire

/// Helpers for the routing tests: ids built from bit patterns so that distances are visible.
enum RT {
    static let t0 = Timestamp(unixSeconds: 1_700_000_000)

    /// An id whose low 32 bits are `n` and whose other bits are zero.
    static func id(_ n: UInt32) -> NodeID { NodeID(high: 0, middle: 0, low: n) }

    /// An id whose leading bits are `bits` (e.g. "101"), followed by zeros, with `low` OR-ed into
    /// the low 32 bits.
    static func id(bits: String, low: UInt32 = 0) -> NodeID {
        var v = NodeID(high: 0, middle: 0, low: low)
        for (i, ch) in bits.enumerated() where ch == "1" { v = v.setting(bit: i, to: true) }
        return v
    }

    /// A distinct endpoint per `n`.
    static func ep(_ n: Int) -> Endpoint { Endpoint(address: 0x0a00_0000 &+ UInt32(n), port: 4000) }

    static func config(k: Int = 4, cache: Int = 8, maxFailures: Int = 2) -> EngineConfiguration {
        var c = EngineConfiguration()
        c.k = k
        c.replacementCacheSize = cache
        c.maxFailures = maxFailures
        return c
    }

    static func table(own: NodeID = .zero, k: Int = 4, cache: Int = 8, maxFailures: Int = 2) -> RoutingTable {
        RoutingTable(ownID: own, configuration: config(k: k, cache: cache, maxFailures: maxFailures), now: t0)
    }

    /// `t0 + seconds`.
    static func at(_ seconds: Int64) -> Timestamp { t0 + .seconds(seconds) }

    /// The next id up, or nil after `NodeID.max`.
    static func successor(_ v: NodeID) -> NodeID? {
        if v == .max { return nil }
        if v.low != .max { return NodeID(high: v.high, middle: v.middle, low: v.low + 1) }
        if v.middle != .max { return NodeID(high: v.high, middle: v.middle + 1, low: 0) }
        return NodeID(high: v.high + 1, middle: 0, low: 0)
    }

    /// Every violated table invariant, as text (empty when the table is sound).
    static func violations(_ t: RoutingTable) -> [String] {
        var out: [String] = []
        guard let first = t.buckets.first, let last = t.buckets.last else { return ["no buckets"] }
        if first.lower != .zero { out.append("first bucket does not start at 0") }
        if last.upper != .max { out.append("last bucket does not end at max") }
        for (a, b) in zip(t.buckets, t.buckets.dropFirst()) where successor(a.upper) != b.lower {
            out.append("gap or overlap between \(a.upper) and \(b.lower)")
        }
        if t.lowers != t.buckets.map(\.lower) { out.append("bucket bounds index out of step with the buckets") }
        var ids = Set<NodeID>(), endpoints = Set<Endpoint>(), live = 0
        for (i, b) in t.buckets.enumerated() {
            if b.lower.commonPrefixLength(with: b.upper) < b.prefixLength { out.append("bucket \(i) bounds vs prefix") }
            if b.contacts.count > t.k { out.append("bucket \(i) has \(b.contacts.count) > k contacts") }
            if b.replacements.count > t.configuration.replacementCacheSize { out.append("bucket \(i) cache overflow") }
            if let p = b.pendingHeadPing, b.index(of: p) == nil { out.append("bucket \(i) pending ping for a non-member") }
            for c in b.replacements where !t.replacementEndpoints.mayContain(c.endpoint) {
                out.append("replacement endpoint \(c.endpoint) missing from the filter")
            }
            for c in b.contacts + b.replacements {
                if !b.contains(c.id) { out.append("\(c.id) outside bucket \(i)") }
                if c.id == t.ownID { out.append("own id stored") }
                if !ids.insert(c.id).inserted { out.append("duplicate id \(c.id)") }
                if !endpoints.insert(c.endpoint).inserted { out.append("duplicate endpoint \(c.endpoint)") }
            }
            live += b.contacts.count
        }
        if live != t.count { out.append("count \(t.count) != \(live)") }
        for c in t.allContacts where t.contact(at: c.endpoint)?.id != c.id {
            out.append("endpoint index wrong for \(c.id)")
        }
        return out
    }
}
