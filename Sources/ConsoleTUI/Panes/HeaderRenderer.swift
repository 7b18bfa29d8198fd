import ConsoleModel
import DHTCore
import DHTWire

/// Draws the header: identity and address on the first row; contacts, traffic, the network size
/// and reachability in words on the second; traffic totals on a third row on tall terminals.
/// Each row is a list of labelled fields with a priority: what does not fit is left out whole,
/// least important first, so the header never turns into abbreviations. Reads the state only.
enum HeaderRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        s.fill(r)
        identityRow(st, in: r, on: &s)
        statusRow(st, in: r, on: &s)
        if r.height >= 3 { totalsRow(st, in: r, on: &s) }
    }

    static func identityRow(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let h = st.header
        var line = HeaderLine()
        line.add(0, ("dhtop", .titleFocused))
        if let detached = st.link.detachedText(now: st.now) {  // attach lost its node: red, never a live state
            line.add(0, (detached, .bad))
        } else if let me = h.layers[st.layer] {
            let idWidth = r.width >= 150 ? 40 : r.width >= 100 ? 16 : 10
            line.add(3, (me.id.shortHex(idWidth), .headerValue))
            if let join = h.joinStates[st.layer], join != .joined {
                // Not joined: say so (alone with its failures and next attempt, or genesis).
                let role: ThemeRole = { if case .alone = join { return .bad } else { return .questionable } }()
                line.add(0, ("L\(st.layer) " + join.description(now: st.now), role))
            } else {
                line.add(0, ("L\(st.layer) \(me.state.rawValue)", me.state == .attached ? .good : .questionable))
            }
        } else {
            line.add(0, ("L\(st.layer) not active", .bad))
        }
        line.add(1, (h.addressText, .headerValue))
        line.add(2, ("up", .header), (h.startedAt.map { Format.age(st.now - $0) } ?? "-", .headerValue))
        line.add(5, ("data", .header), (h.dataDirectory, .dim))
        line.draw(in: r, row: 0, on: &s)
    }

    static func statusRow(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let h = st.header
        var line = HeaderLine()
        let health = st.buckets.healthCounts(layer: st.layer, now: st.now)
        var contacts: [(String, ThemeRole)] = [("contacts", .header), ("\(health[.good] ?? 0) good", .good)]
        if let q = health[.questionable], q > 0 { contacts.append(("\(q) stale", .questionable)) }
        if let b = health[.bad], b > 0 { contacts.append(("\(b) bad", .bad)) }
        line.add(0, contacts)
        line.add(5, ("buckets", .header), ("\(st.buckets.rows(layer: st.layer).count)", .headerValue))
        line.add(4, ("keys", .header), ("\(st.keys.count(layer: st.layer))", .headerValue))
        let sparkWidth = r.width >= 160 ? 20 : r.width >= 120 ? 10 : 0
        var inbound: [(String, ThemeRole)] = [("calls in", .header), (Format.fixed(h.rpcIn.rate(), 1) + "/s", .rpcIn)]
        var outbound: [(String, ThemeRole)] = [("out", .header), (Format.fixed(h.rpcOut.rate(), 1) + "/s", .rpcOut)]
        if sparkWidth > 0 {
            // Only as long as the history (a new console has seconds, not minutes, of it).
            let glyphs = s.glyphs
            let spark = { (v: [Int]) in String(glyphs.sparkline(v, width: sparkWidth).drop { $0 == " " }) }
            inbound.append((spark(h.rpcIn.seconds.elements), .rpcIn))
            outbound.append((spark(h.rpcOut.seconds.elements), .rpcOut))
        }
        line.add(2, inbound)
        line.add(2, outbound)
        let share = h.timeoutShare()
        line.add(
            3, ("timeouts", .header),
            (share.map { "\(Int(($0 * 100).rounded()))%" } ?? "-", (share ?? 0) > 0.25 ? .bad : .headerValue))
        if let estimate = st.sizeEstimate(layer: st.layer) {
            // From the lookups' distances, with its 95 % interval: `~9 nodes (7–12)`.
            let e = estimate.text.split(separator: " ", maxSplits: 2).map(String.init)
            line.add(1, (e[0], .headerValue), (e.count > 1 ? e[1] : "nodes", .header))
            if e.count > 2 { line.add(6, (e[2], .dim)) }
        } else {
            let guess = st.sizeGuess(layer: st.layer).map(String.init) ?? "?"
            line.add(1, ("~" + guess, .headerValue), ("nodes", .header))
        }
        let reach: (String, ThemeRole) = h.reachable ? ("reachable", .good) : ("not reached yet", .questionable)
        line.add(1, reach)
        if h.droppedDatagrams > 0, r.height < 3 {
            let text = h.rateLimited > 0 ? "\(h.droppedDatagrams) (\(h.rateLimited) rate-limited)" : "\(h.droppedDatagrams)"
            line.add(1, ("dropped", .header), (text, .warning))
        }
        if let crawl = st.lastCrawl, r.height < 3 {
            line.add(7, (crawl.glance.text, .headerValue), (Format.age(st.now - crawl.at) + " ago", .dim))
        }
        if st.paused { line.add(0, ("PAUSED", .warning)) }
        line.draw(in: r, row: 1, on: &s)
    }

    static func totalsRow(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let h = st.header
        var line = HeaderLine()
        line.add(0, ("bytes in", .header), (Format.bytes(h.bytesIn), .headerValue))
        line.add(0, ("out", .header), (Format.bytes(h.bytesOut), .headerValue))
        var dropped: [(String, ThemeRole)] = [("dropped", .header), ("\(h.droppedDatagrams)", .headerValue)]
        if h.rateLimited > 0 { dropped.append(("(\(h.rateLimited) rate-limited)", .warning)) }
        line.add(1, dropped)
        line.add(2, ("requests from peers", .header), ("\(h.unsolicitedRequests)", .headerValue))
        line.add(3, ("layers", .header), (st.knownLayers.map { "L\($0)" }.joined(separator: " "), .headerValue))
        line.add(4, ("theme", .header), (st.themeName, .headerValue))
        if let crawl = st.lastCrawl {
            line.add(3, ("last", .header), (crawl.glance.text, .headerValue), (Format.age(st.now - crawl.at) + " ago", .dim))
        }
        line.draw(in: r, row: 2, on: &s)
    }
}

/// One header row as fields (each a few words with their roles) with priorities; `draw` keeps
/// the most important fields that fit, whole, in their order. A value type.
struct HeaderLine {
    private var fields: [(priority: Int, parts: [(String, ThemeRole)])] = []

    mutating func add(_ priority: Int, _ parts: (String, ThemeRole)...) { add(priority, parts) }

    mutating func add(_ priority: Int, _ parts: [(String, ThemeRole)]) {
        fields.append((priority, parts.filter { !$0.0.isEmpty }))
    }

    /// Columns a field takes: its words with one space between, two after it.
    private static func width(_ parts: [(String, ThemeRole)]) -> Int {
        parts.reduce(0) { $0 + $1.0.count } + max(0, parts.count - 1) + 2
    }

    func draw(in r: Rect, row: Int, on s: inout Surface) {
        // Most important first, each field that still fits (priority 0 always); drawn in order.
        var shown = Array(repeating: false, count: fields.count)
        var budget = r.width + 2  // the last field's two trailing spaces may fall off the edge
        for i in fields.indices.sorted(by: { (fields[$0].priority, $0) < (fields[$1].priority, $1) }) {
            let w = Self.width(fields[i].parts)
            guard w <= budget || fields[i].priority == 0 else { continue }
            shown[i] = true
            budget -= w
        }
        var w = RowWriter(r, row: row)
        for (i, f) in fields.enumerated() where shown[i] {
            for (n, part) in f.parts.enumerated() { w.add(part.0, part.1, on: &s, gap: n == f.parts.count - 1 ? 2 : 1) }
        }
    }
}
