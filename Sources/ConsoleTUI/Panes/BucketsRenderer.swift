import ConsoleModel
import DHTCore
import DHTWire

/// Draws the K-buckets pane: one row per non-empty bucket of the shown layer, or the contacts
/// of the bucket opened with Enter. Reads the state only.
enum BucketsRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let pane = st.buckets
        let rows = pane.rows(layer: st.layer)
        let layers = st.knownLayers.map { $0 == st.layer ? "[L\($0)]" : "L\($0)" }.joined(separator: " ")
        let filter = pane.filter.isEmpty ? "" : "  /\(pane.filter.typed)"
        if let open = pane.openRow, rows.indices.contains(open) {
            let b = rows[open].bucket
            let area = PaneFrame.draw(
                .buckets, title: "K-buckets",
                extra: "\(Self.prefixLabel(b)) contacts sort:\(pane.contactSort.label)\(filter), Enter details, Esc back",
                focused: st.focus == .buckets, in: r, on: &s)
            drawContacts(b, st: st, in: area, on: &s)
            return
        }
        let area = PaneFrame.draw(
            .buckets, title: "K-buckets", extra: "\(rows.count) used  \(layers)\(filter)",
            focused: st.focus == .buckets, in: r, on: &s)
        guard area.height > 0 else { return }
        let wide = area.width >= 60
        let barWidth = wide ? 20 : 8
        var hw = RowWriter(area, row: 0)
        hw.column("pfx", 5, .dim, on: &s, right: true)
        if wide { hw.column("range", 19, .dim, on: &s) }
        hw.column("fill", barWidth, .dim, on: &s)
        hw.column("n/k", 5, .dim, on: &s, right: true)
        hw.column("rc", 3, .dim, on: &s, right: true)
        hw.column("oldest", 6, .dim, on: &s, right: true)
        hw.column("chg", 6, .dim, on: &s, right: true)
        let visible = area.height - 1
        let first = max(0, min(pane.selection - visible + 1, rows.count - visible))
        for (line, row) in rows.dropFirst(first).prefix(max(0, visible)).enumerated() {
            let b = row.bucket
            let y = line + 1
            var w = RowWriter(area, row: y)
            w.column(Self.prefixLabel(b), 5, .normal, on: &s, right: true)
            if wide { w.column(b.lower.shortHex(8) + "-" + b.upper.shortHex(8), 19, .dim, on: &s) }
            let (full, empty) = s.glyphs.bar(b.contacts.count, of: pane.k, width: barWidth)
            w.add(full, .barFull, on: &s, gap: 0)
            w.add(empty, .barEmpty, on: &s)
            let worst = b.contacts.map { $0.health(now: st.now) }
            let role: ThemeRole = worst.contains(.bad) ? .bad : worst.contains(.questionable) ? .questionable : .good
            w.column("\(b.contacts.count)/\(pane.k)", 5, role, on: &s, right: true)
            w.column(b.replacements.isEmpty ? "-" : "+\(b.replacements.count)", 3, .dim, on: &s, right: true)
            w.column(b.oldestSeen.map { Format.age(st.now - $0) } ?? "-", 6, .normal, on: &s, right: true)
            w.column(Format.age(st.now - b.lastChanged), 6, .dim, on: &s, right: true)
            if first + line == pane.selection && st.focus == .buckets {
                s.restyle(x: area.x, y: area.y + y, width: area.width, role: .selection)
            }
        }
        if rows.isEmpty, area.height > 1 { s.put("no contacts yet", x: area.x + 1, y: area.y + 1, role: .dim) }
    }

    /// The bucket's depth with its last prefix bit, "1/3", so that the two buckets of the
    /// deepest split (same depth) read differently; "*" for the whole space.
    static func prefixLabel(_ b: BucketsPane.Bucket) -> String {
        guard b.prefixLength > 0 else { return "*" }
        return "\(b.lower.bit(b.prefixLength - 1) ? 1 : 0)/\(b.prefixLength)"
    }

    static func drawContacts(_ b: BucketsPane.Bucket, st: ConsoleState, in area: Rect, on s: inout Surface) {
        guard area.height > 0 else { return }
        let wide = area.width >= 70
        var hw = RowWriter(area, row: 0)
        hw.column("id", wide ? 16 : 8, .dim, on: &s)
        hw.column("address", wide ? 21 : 15, .dim, on: &s)
        hw.column("rtt", 7, .dim, on: &s, right: true)
        hw.column("seen", 6, .dim, on: &s, right: true)
        if wide {
            hw.column("reply", 6, .dim, on: &s, right: true)
            hw.column("fail", 4, .dim, on: &s, right: true)
        }
        hw.column("health", 6, .dim, on: &s)
        let visible = area.height - 1
        let sel = st.buckets.contactSelection
        let contacts = st.buckets.contactRows(b)
        let first = max(0, min(sel - visible + 1, contacts.count - visible))
        for (line, c) in contacts.dropFirst(first).prefix(max(0, visible)).enumerated() {
            var w = RowWriter(area, row: line + 1)
            let health = c.health(now: st.now)
            w.column(c.id.shortHex(wide ? 16 : 8), wide ? 16 : 8, .key, on: &s)
            w.column(c.endpoint.description, wide ? 21 : 15, .normal, on: &s)
            w.column(c.rtt.map { Format.fixed($0.milliseconds, 1) + "ms" } ?? "-", 7, .normal, on: &s, right: true)
            w.column(Format.age(st.now - c.lastSeen), 6, .dim, on: &s, right: true)
            if wide {
                w.column(c.lastReply.map { Format.age(st.now - $0) } ?? "-", 6, .dim, on: &s, right: true)
                w.column("\(c.failures)", 4, c.failures > 0 ? .bad : .dim, on: &s, right: true)
            }
            let role: ThemeRole = health == .good ? .good : health == .questionable ? .questionable : .bad
            w.column(health == .questionable ? "quest" : health.rawValue, 6, role, on: &s)
            if first + line == sel && st.focus == .buckets {
                s.restyle(x: area.x, y: area.y + line + 1, width: area.width, role: .selection)
            }
        }
    }
}
