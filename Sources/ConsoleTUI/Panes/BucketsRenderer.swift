import ConsoleModel
import DHTCore
import DHTWire

/// Draws the K-buckets pane: one row per non-empty bucket of the shown layer, or the contacts
/// of the bucket opened with Enter. Buckets are numbered as the routing table numbers them
/// (`#`, the number the Events pane's "bucket N" uses). Columns fit the pane's width (`Columns`).
/// Reads the state only.
enum BucketsRenderer {
    /// The bucket list's columns; `HelpText.columns` explains each title.
    static let bucketColumns: [ColumnSpec] = [
        ColumnSpec(["#"], min: 3, priority: 0, right: true),
        ColumnSpec(["prefix", "pfx"], min: 4, ideal: 10, priority: 3),
        ColumnSpec(["range"], min: 17, ideal: 33, priority: 7),
        ColumnSpec(["fill"], min: 4, ideal: 12, priority: 2),
        ColumnSpec(["n/k"], min: 5, priority: 1, right: true),
        ColumnSpec(["rc"], min: 3, priority: 4, right: true),
        ColumnSpec(["oldest"], min: 6, priority: 6, right: true),
        ColumnSpec(["chg"], min: 6, priority: 5, right: true)
    ]

    static let contactColumns: [ColumnSpec] = [
        ColumnSpec(["id"], min: 8, ideal: 40, priority: 0),
        ColumnSpec(["address"], min: 15, ideal: 21, priority: 1),
        ColumnSpec(["rtt"], min: 7, priority: 2, right: true),
        ColumnSpec(["seen"], min: 6, priority: 3, right: true),
        ColumnSpec(["reply"], min: 6, priority: 5, right: true),
        ColumnSpec(["fail"], min: 4, priority: 6, right: true),
        ColumnSpec(["health"], min: 6, ideal: 12, priority: 4)
    ]

    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let pane = st.buckets
        let rows = pane.rows(layer: st.layer)
        let layers = st.knownLayers.map { $0 == st.layer ? "[L\($0)]" : "L\($0)" }.joined(separator: " ")
        let filter = pane.filter.isEmpty ? "" : "  /\(pane.filter.typed)"
        if let open = pane.openRow, rows.indices.contains(open) {
            let (index, b) = rows[open]
            let sort = pane.contactSort.label == "table" ? "" : " sort:\(pane.contactSort.label)"
            let area = PaneFrame.draw(
                .buckets, title: "K-buckets",
                extra: "bucket \(index): \(b.contacts.count) contacts\(sort)\(filter), Esc back",
                focused: st.focus == .buckets, in: r, on: &s)
            drawContacts(b, st: st, in: area, on: &s)
            return
        }
        let area = PaneFrame.draw(
            .buckets, title: "K-buckets", extra: "\(rows.count) used  \(layers)\(filter)",
            focused: st.focus == .buckets, in: r, on: &s)
        guard area.height > 0 else { return }
        let cols = Columns(bucketColumns.filter { st.showsColumn("buckets", titles: $0.titles) }, width: area.width)
        var hw = RowWriter(area, row: 0)
        cols.header(&hw, on: &s)
        let visible = area.height - 1
        let first = firstVisibleRow(selection: pane.selection, visible: visible, count: rows.count)
        for (line, row) in rows.dropFirst(first).prefix(max(0, visible)).enumerated() {
            let b = row.bucket
            let y = line + 1
            var w = RowWriter(area, row: y)
            cols.put("#", "\(row.index)", .normal, &w, on: &s)
            cols.put("prefix", prefixBits(b, cols["prefix"]), .dim, &w, on: &s)
            let rangeWidth = cols["range"]
            if rangeWidth > 0 {
                let digits = max(1, (rangeWidth - 1) / 2)
                cols.put("range", b.lower.shortHex(digits) + "-" + b.upper.shortHex(digits), .dim, &w, on: &s)
            }
            let barWidth = cols["fill"]
            if barWidth > 0 {
                let (full, empty) = s.glyphs.bar(b.contacts.count, of: pane.k, width: barWidth)
                w.add(full, .barFull, on: &s, gap: 0)
                w.add(empty, .barEmpty, on: &s)
            }
            let worst = b.contacts.map { $0.health(now: st.now) }
            let role: ThemeRole = worst.contains(.bad) ? .bad : worst.contains(.questionable) ? .questionable : .good
            cols.put("n/k", "\(b.contacts.count)/\(pane.k)", role, &w, on: &s)
            cols.put("rc", b.replacements.isEmpty ? "-" : "+\(b.replacements.count)", .dim, &w, on: &s)
            cols.put("oldest", b.oldestSeen.map { Format.age(st.now - $0) } ?? "-", .normal, &w, on: &s)
            cols.put("chg", Format.age(st.now - b.lastChanged), .dim, &w, on: &s)
            s.mark(.buckets, item: first + line, y: area.y + y, x: area.x, width: area.width)
            if first + line == pane.selection && st.focus == .buckets {
                s.restyle(x: area.x, y: area.y + y, width: area.width, role: .selection)
            }
        }
        if rows.isEmpty, area.height > 1 { s.put("no contacts yet", x: area.x + 1, y: area.y + 1, role: .dim) }
    }

    /// The bucket's prefix (the leading bits every id in it shares) in binary, `*` for the
    /// whole space; a prefix longer than the column keeps its last bits: `…0110`.
    static func prefixBits(_ b: BucketsPane.Bucket, _ width: Int) -> String {
        guard b.prefixLength > 0 else { return "*" }
        let bits = String((0..<b.prefixLength).map { b.lower.bit($0) ? "1" : "0" })
        return bits.count <= width ? bits : "…" + String(bits.suffix(max(1, width - 1)))
    }

    static func drawContacts(_ b: BucketsPane.Bucket, st: ConsoleState, in area: Rect, on s: inout Surface) {
        guard area.height > 0 else { return }
        let cols = Columns(contactColumns.filter { st.showsColumn("contacts", titles: $0.titles) }, width: area.width)
        var hw = RowWriter(area, row: 0)
        cols.header(&hw, on: &s)
        let visible = area.height - 1
        let sel = st.buckets.contactSelection
        let contacts = st.buckets.contactRows(b)
        let first = firstVisibleRow(selection: sel, visible: visible, count: contacts.count)
        for (line, c) in contacts.dropFirst(first).prefix(max(0, visible)).enumerated() {
            var w = RowWriter(area, row: line + 1)
            let health = c.health(now: st.now)
            cols.put("id", c.id.shortHex(max(1, cols["id"])), .key, &w, on: &s)
            cols.put("address", c.endpoint.description, .normal, &w, on: &s)
            cols.put("rtt", c.rtt.map { Format.fixed($0.milliseconds, 1) + "ms" } ?? "-", .normal, &w, on: &s)
            cols.put("seen", Format.age(st.now - c.lastSeen), .dim, &w, on: &s)
            cols.put("reply", c.lastReply.map { Format.age(st.now - $0) } ?? "-", .dim, &w, on: &s)
            cols.put("fail", "\(c.failures)", c.failures > 0 ? .bad : .dim, &w, on: &s)
            let role: ThemeRole = health == .good ? .good : health == .questionable ? .questionable : .bad
            let text = health.rawValue.count <= cols["health"] ? health.rawValue : (health == .questionable ? "quest" : health.rawValue)
            cols.put("health", text, role, &w, on: &s)
            s.mark(.buckets, item: first + line, y: area.y + line + 1, x: area.x, width: area.width)
            if first + line == sel && st.focus == .buckets {
                s.restyle(x: area.x, y: area.y + line + 1, width: area.width, role: .selection)
            }
        }
    }
}
