import ConsoleModel
import DHTCore
import DHTWire

/// Draws the header: identity and address on the first row; health, rates and reachability on
/// the second; a third row with traffic totals on tall terminals. Reads the state only.
enum HeaderRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        s.fill(r)
        let h = st.header
        let wide = r.width >= 120
        var w = RowWriter(r, row: 0)
        w.add("dhtop", .titleFocused, on: &s)
        if let detached = st.link.detachedText(now: st.now) {  // attach lost its node: red, never a live state
            w.add(detached, .bad, on: &s, gap: 2)
        } else if let me = h.layers[st.layer] {
            w.add(wide ? me.id.hex : me.id.shortHex(12), .headerValue, on: &s)
            if let join = h.joinStates[st.layer], join != .joined {
                // Not joined: say so (alone with its failures and next attempt, or genesis).
                let text = "L\(st.layer) " + join.description(now: st.now)
                w.add(text, { if case .alone = join { return .bad } else { return .questionable } }(), on: &s, gap: 2)
            } else {
                w.add("L\(st.layer) \(me.state.rawValue)", me.state == .attached ? .good : .questionable, on: &s, gap: 2)
            }
        } else {
            w.add("L\(st.layer) not active", .bad, on: &s, gap: 2)
        }
        w.add(h.addressText, .headerValue, on: &s, gap: 2)
        w.add("up", .header, on: &s)
        w.add(h.startedAt.map { Format.age(st.now - $0) } ?? "-", .headerValue, on: &s, gap: 2)
        w.add("data", .header, on: &s)
        w.add(h.dataDirectory, .dim, on: &s)

        var v = RowWriter(r, row: 1)
        let narrow = r.width < 100
        let health = st.buckets.healthCounts(layer: st.layer, now: st.now)
        v.add(narrow ? "ct" : "contacts", .header, on: &s)
        v.add("\(health[.good] ?? 0)", .good, on: &s, gap: 0)
        v.add("/", .dim, on: &s, gap: 0)
        v.add("\(health[.questionable] ?? 0)", .questionable, on: &s, gap: 0)
        v.add("/", .dim, on: &s, gap: 0)
        v.add("\(health[.bad] ?? 0)", .bad, on: &s, gap: 1)
        v.add(narrow ? "bkt" : "buckets", .header, on: &s)
        v.add("\(st.buckets.rows(layer: st.layer).count)", .headerValue, on: &s, gap: 1)
        v.add("keys", .header, on: &s)
        v.add("\(st.keys.count(layer: st.layer))", .headerValue, on: &s, gap: 1)
        let sparkWidth = r.width >= 160 ? 20 : r.width >= 120 ? 10 : 4
        v.add("in", .header, on: &s)
        v.add(Format.fixed(h.rpcIn.rate(), 1) + "/s", .rpcIn, on: &s, gap: 0)
        v.add(s.glyphs.sparkline(h.rpcIn.seconds.elements, width: sparkWidth), .rpcIn, on: &s)
        v.add("out", .header, on: &s)
        v.add(Format.fixed(h.rpcOut.rate(), 1) + "/s", .rpcOut, on: &s, gap: 0)
        v.add(s.glyphs.sparkline(h.rpcOut.seconds.elements, width: sparkWidth), .rpcOut, on: &s)
        v.add(narrow ? "t/o" : "timeouts", .header, on: &s)
        let share = h.timeoutShare()
        v.add(share.map { "\(Int(($0 * 100).rounded()))%" } ?? "-", (share ?? 0) > 0.25 ? .bad : .headerValue, on: &s)
        if let estimate = h.sizeEstimates[st.layer] {
            // From the lookups' distances, with its 95 % interval: `~9 nodes (7–12)`.
            let e = estimate.text.split(separator: " ", maxSplits: 2).map(String.init)
            v.add(e[0], .headerValue, on: &s, gap: 1)
            if !narrow { v.add(e[1], .header, on: &s, gap: 1) }
            v.add(e[2], .dim, on: &s)
        } else {
            v.add("~" + (st.buckets.networkSizeEstimate(layer: st.layer).map(String.init) ?? "?"), .headerValue, on: &s)
            if !narrow { v.add("nodes", .header, on: &s) }
        }
        v.add(narrow ? "reach:" : "reachable:", .header, on: &s, gap: 0)
        v.add(h.reachable ? "yes" : "no", h.reachable ? .good : .questionable, on: &s)
        if narrow, h.droppedDatagrams > 0 {
            v.add("drop", .header, on: &s)
            v.add(h.rateLimited > 0 ? "\(h.droppedDatagrams)/\(h.rateLimited)rl" : "\(h.droppedDatagrams)", .warning, on: &s)
        }
        if st.paused { v.add("PAUSED", .warning, on: &s) }

        if r.height >= 3 {
            var t = RowWriter(r, row: 2)
            t.add("bytes in", .header, on: &s)
            t.add(Format.bytes(h.bytesIn), .headerValue, on: &s, gap: 2)
            t.add("out", .header, on: &s)
            t.add(Format.bytes(h.bytesOut), .headerValue, on: &s, gap: 2)
            t.add("dropped", .header, on: &s)
            t.add("\(h.droppedDatagrams)", .headerValue, on: &s, gap: h.rateLimited > 0 ? 1 : 2)
            if h.rateLimited > 0 { t.add("(\(h.rateLimited) rate-limited)", .warning, on: &s, gap: 2) }
            t.add("requests from peers", .header, on: &s)
            t.add("\(h.unsolicitedRequests)", .headerValue, on: &s, gap: 2)
            t.add("layers", .header, on: &s)
            t.add(st.knownLayers.map { "L\($0)" }.joined(separator: " "), .headerValue, on: &s, gap: 2)
            t.add("theme", .header, on: &s)
            t.add(st.themeName, .headerValue, on: &s)
        }
    }
}
