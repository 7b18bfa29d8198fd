import ConsoleModel
import DHTCore
import DHTWire

/// Draws the Stored-keys pane: key hash, the decoded record at a glance (type, owner, revision,
/// validity, freshness of its own timestamp), size, publisher, age and time to expiry, sorted and
/// filtered as the state says. Columns fit the pane (`Columns`). Reads the state only.
enum KeysRenderer {
    /// The columns, most important first when the pane is narrow: the key and its type, then
    /// expiry, owner, revision…; the key grows to its 40 hex digits and the type to its whole
    /// name before the owner takes the rest. `HelpText.columns` explains them.
    static let columns: [ColumnSpec] = [
        ColumnSpec(["key"], min: 8, ideal: 40, priority: 0, growth: 3),
        ColumnSpec(["type"], min: 7, ideal: 15, priority: 1, growth: 0),
        ColumnSpec(["owner / bitdust key", "owner"], min: 11, ideal: 24, priority: 4, flex: true, growth: 1),
        ColumnSpec(["rev"], min: 3, ideal: 4, priority: 5, right: true),
        ColumnSpec(["ok"], min: 3, priority: 3),
        ColumnSpec(["fresh"], min: 5, priority: 7, right: true, extra: true),
        ColumnSpec(["size"], min: 5, priority: 6, right: true),
        ColumnSpec(["pub"], min: 8, ideal: 12, priority: 9, extra: true),
        ColumnSpec(["age"], min: 6, priority: 8, right: true, extra: true),
        ColumnSpec(["expires"], min: 7, priority: 2, right: true)
    ]

    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let k = st.keys
        let rows = k.rows(layer: st.layer)
        let filter = k.filter.isEmpty ? "" : "  /\(k.filterInverted ? "!" : "")\(k.filter)"
        let area = PaneFrame.draw(
            .keys, title: "Stored keys",
            extra: "\(rows.count)/\(k.count(layer: st.layer)) sort:\(st.sortLabel(.keys) ?? "")\(filter)",
            focused: st.focus == .keys, in: r, on: &s)
        guard area.height > 0 else { return }
        let cols = Columns(columns.filter { st.showsColumn("keys", titles: $0.titles) }, width: area.width)
        var hw = RowWriter(area, row: 0)
        cols.header(&hw, on: &s)
        let nowUnix = st.now.unixSeconds
        let visible = area.height - 1
        let first = firstVisibleRow(selection: k.selection, visible: visible, count: rows.count)
        for (line, e) in rows.dropFirst(first).prefix(max(0, visible)).enumerated() {
            var w = RowWriter(area, row: line + 1)
            let g = e.glance
            cols.put("key", e.keyText, .key, &w, on: &s)
            cols.put("type", g?.kind ?? e.type ?? "-", .normal, &w, on: &s)
            cols.put("owner / bitdust key", g?.owner ?? e.bitdustKey ?? "-", .normal, &w, on: &s)
            cols.put("rev", g?.revision.map(String.init) ?? "-", .normal, &w, on: &s)
            cols.put("ok", g?.validityMark ?? "-", g?.isRecord == true && g?.isValid == false ? .bad : .good, &w, on: &s)
            cols.put("fresh", g?.freshness(now: nowUnix) ?? "-", .dim, &w, on: &s)
            cols.put("size", Format.bytes(e.size), .normal, &w, on: &s)
            cols.put("pub", Format.id(e.publisher, max(1, cols["pub"])), .dim, &w, on: &s)
            cols.put("age", Format.age(seconds: Format.seconds(from: e.published, to: nowUnix)), .dim, &w, on: &s)
            let left = e.expiresAt.map { Format.seconds(from: nowUnix, to: $0) }
            cols.put(
                "expires", left.map { $0 <= 0 ? "expired" : Format.age(seconds: $0) } ?? "-",
                (left ?? 1000) < 300 ? .questionable : .normal, &w, on: &s)
            s.mark(.keys, item: first + line, y: area.y + line + 1, x: area.x, width: area.width)
            if first + line == k.selection && st.focus == .keys {
                s.restyle(x: area.x, y: area.y + line + 1, width: area.width, role: .selection)
            }
        }
        if rows.isEmpty, area.height > 1 {
            s.put(k.filter.isEmpty ? "no keys stored" : "no key matches the filter", x: area.x + 1, y: area.y + 1, role: .dim)
        }
    }
}
