import ConsoleModel
import DHTCore
import DHTWire

/// Draws the Stored-keys pane: key hash, the decoded record at a glance (type, owner, revision,
/// validity, freshness of its own timestamp), size, publisher, age and time to expiry, sorted and
/// filtered as the state says. Columns are dropped as the pane narrows. Reads the state only.
enum KeysRenderer {
    /// The column widths for a pane `width` columns wide (0 = not shown).
    struct Layout {
        var key = 8, type = 9, owner = 0, rev = 3, valid = 3, fresh = 5, size = 0, publisher = 0, age = 0, expires = 7

        init(width: Int) {
            if width >= 60 {
                size = 5
                age = 6  // Format.age is at most 6 columns below 100 days ("10m00s", "23h59m")
            }
            if width >= 90 {
                key = 40
                type = 10
                publisher = 8
                rev = 4
            }
            let fixed = [key, type, rev, valid, fresh, size, publisher, age, expires]
            let used = fixed.reduce(0, +) + fixed.filter { $0 > 0 }.count
            if width - used >= 11 { owner = width - used - 1 }
        }
    }

    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let k = st.keys
        let rows = k.rows(layer: st.layer)
        let filter = k.filter.isEmpty ? "" : "  /\(k.filterInverted ? "!" : "")\(k.filter)"
        let area = PaneFrame.draw(
            .keys, title: "Stored keys",
            extra: "\(rows.count)/\(k.count(layer: st.layer)) sort:\(st.sortLabel(.keys) ?? "")\(filter)",
            focused: st.focus == .keys, in: r, on: &s)
        guard area.height > 0 else { return }
        let l = Layout(width: area.width)
        var hw = RowWriter(area, row: 0)
        hw.column("key", l.key, .dim, on: &s)
        hw.column("type", l.type, .dim, on: &s)
        if l.owner > 0 { hw.column("owner / bitdust key", l.owner, .dim, on: &s) }
        hw.column("rev", l.rev, .dim, on: &s, right: true)
        hw.column("ok", l.valid, .dim, on: &s)
        hw.column("fresh", l.fresh, .dim, on: &s, right: true)
        if l.size > 0 { hw.column("size", l.size, .dim, on: &s, right: true) }
        if l.publisher > 0 { hw.column("pub", l.publisher, .dim, on: &s) }
        if l.age > 0 { hw.column("age", l.age, .dim, on: &s, right: true) }
        hw.column("expires", l.expires, .dim, on: &s, right: true)
        let nowUnix = st.now.unixSeconds
        let visible = area.height - 1
        let first = max(0, min(k.selection - visible + 1, rows.count - visible))
        for (line, e) in rows.dropFirst(first).prefix(max(0, visible)).enumerated() {
            var w = RowWriter(area, row: line + 1)
            let g = e.glance
            w.column(e.keyText, l.key, .key, on: &s)
            w.column(g?.kind ?? e.type ?? "-", l.type, .normal, on: &s)
            if l.owner > 0 { w.column(g?.owner ?? e.bitdustKey ?? "-", l.owner, .normal, on: &s) }
            w.column(g?.revision.map(String.init) ?? "-", l.rev, .normal, on: &s, right: true)
            w.column(g?.validityMark ?? "-", l.valid, g?.isRecord == true && g?.isValid == false ? .bad : .good, on: &s)
            w.column(g?.freshness(now: nowUnix) ?? "-", l.fresh, .dim, on: &s, right: true)
            if l.size > 0 { w.column(Format.bytes(e.size), l.size, .normal, on: &s, right: true) }
            if l.publisher > 0 { w.column(Format.id(e.publisher), l.publisher, .dim, on: &s) }
            if l.age > 0 { w.column(Format.age(seconds: Format.seconds(from: e.published, to: nowUnix)), l.age, .dim, on: &s, right: true) }
            let left = e.expiresAt.map { Format.seconds(from: nowUnix, to: $0) }
            w.column(
                left.map { $0 <= 0 ? "expired" : Format.age(seconds: $0) } ?? "-", l.expires,
                (left ?? 1000) < 300 ? .questionable : .normal, on: &s, right: true)
            if first + line == k.selection && st.focus == .keys {
                s.restyle(x: area.x, y: area.y + line + 1, width: area.width, role: .selection)
            }
        }
        if rows.isEmpty, area.height > 1 {
            s.put(k.filter.isEmpty ? "no keys stored" : "no key matches the filter", x: area.x + 1, y: area.y + 1, role: .dim)
        }
    }
}
