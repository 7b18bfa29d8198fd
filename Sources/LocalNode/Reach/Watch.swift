import BitDustRecords
import DHTCore
import DHTRuntime
import DHTWire
import NodeAPI

/// `watch` on a `DHTNode`: a collect-all findValue of the key every interval, doubling the wait
/// (up to `ReachLimits.watchBackoffFactor` times) while nothing changes and falling back to the
/// interval at each change; reports the value when first found, each change (new value or
/// revision), and its disappearance (two empty polls in a row), until `options.count` reports
/// or `options.seconds` have passed.
///
/// Runs as a Swift task; reads the node's injected clock to stamp reports; waits with
/// `Task.sleep`. Thread-safe (no shared state).
enum Watch {
    /// What one poll saw: the newest copy (highest revision, else the first) and how many.
    struct Seen: Equatable {
        var value: BValue
        var revision: Int64?
        var from: PeerReply
        var copies: Int

        static func == (a: Seen, b: Seen) -> Bool { a.value == b.value && a.revision == b.revision }
    }

    static func run(
        node: DHTNode, key: NodeID, layer: Int, options: WatchOptions, report: @escaping @Sendable (WatchChange) -> Void
    ) async -> WatchReport {
        let start = node.clock.now()
        let end = start + .seconds(options.seconds)
        var result = WatchReport(key: key)
        var last: Seen?
        var everSeen = false
        var misses = 0
        var wait = options.intervalSeconds
        let ceiling = min(options.intervalSeconds * ReachLimits.watchBackoffFactor, ReachLimits.watchMaxBackoffSeconds)
        while result.reports < options.count, !Task.isCancelled {
            result.polls += 1
            let seen = await poll(node: node, key: key, layer: layer)
            let now = node.clock.now().unixSeconds
            var change: WatchChange?
            switch (last, seen) {
            case (nil, let s?):
                change = Self.change(everSeen ? .changed : .found, s, at: now)
            case (let old?, let s?) where old != s:
                change = Self.change(.changed, s, at: now)
            case (_?, nil) where misses >= 1:
                // Gone only after two empty polls in a row: one lookup can miss every copy.
                change = WatchChange(kind: .gone, at: now, fromID: nil, from: nil, revision: nil, value: nil, copies: 0)
            default:
                break
            }
            if seen != nil { everSeen = true }
            misses = seen == nil ? misses + 1 : 0
            if let change {
                last = seen
                result.record(change)
                report(change)
                wait = options.intervalSeconds
            } else {
                wait = min(wait * 2, ceiling)
            }
            guard result.reports < options.count else { break }
            let left = (end - node.clock.now()).seconds
            guard left > 0 else { break }
            try? await Task.sleep(for: .seconds(min(Double(wait), left)))
            guard node.clock.now() < end else { break }
        }
        result.elapsed = node.clock.now() - start
        return result
    }

    /// One collect-all findValue: the copy with the highest revision (the first copy when none
    /// has one); nil when none was found or the lookup failed.
    static func poll(node: DHTNode, key: NodeID, layer: Int) async -> Seen? {
        guard case .value(let v) = await node.perform(.findValue(key: key, layer: layer, collectAll: true)), let first = v.values.first
        else { return nil }
        var best = first
        var bestRevision = WatchChange.revision(of: first.value)
        for copy in v.values.dropFirst() {
            let r = WatchChange.revision(of: copy.value)
            if let r, r > (bestRevision ?? Int64.min) {
                best = copy
                bestRevision = r
            }
        }
        return Seen(value: best.value, revision: bestRevision, from: best.from, copies: v.values.count)
    }

    static func change(_ kind: WatchChange.Kind, _ s: Seen, at: Int64) -> WatchChange {
        let text = RecordRendering.json(s.value)?.compactText ?? RecordReadReport.text(of: s.value)
        return WatchChange(
            kind: kind, at: at, fromID: s.from.id, from: s.from.endpoint, revision: s.revision,
            value: BoundedText.truncate(text, maxBytes: ReachLimits.answerBytes), copies: s.copies)
    }
}
