import ConsoleModel
import DHTCore
import DHTWire

/// Draws the Stored-keys pane: key hash, BitDust key and type, size, publisher, age and time to
/// expiry, sorted and filtered as the state says. Reads the state only.
enum KeysRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let k = st.keys
        let rows = k.rows(layer: st.layer)
        let filter = k.filter.isEmpty ? "" : "  /\(k.filter)"
        let area = PaneFrame.draw(.keys, title: "Stored keys",
                                  extra: "\(rows.count)/\(k.count(layer: st.layer)) sort:\(k.sort.rawValue)\(filter)",
                                  focused: st.focus == .keys, in: r, on: &s)
        guard area.height > 0 else { return }
        let wide = area.width >= 90
        let keyW = wide ? 40 : 10
        let bdW = wide ? max(10, area.width - keyW - 8 - 6 - 8 - 6 - 7 - 8) : 0
        var hw = RowWriter(area, row: 0)
        hw.column("key", keyW, .dim, on: &s)
        if wide { hw.column("bitdust key", bdW, .dim, on: &s) }
        hw.column("type", 8, .dim, on: &s)
        hw.column("size", 5, .dim, on: &s, right: true)
        if wide { hw.column("pub", 8, .dim, on: &s) }
        hw.column("age", 5, .dim, on: &s, right: true)
        hw.column("expires", 7, .dim, on: &s, right: true)
        let nowUnix = st.now.unixSeconds
        let visible = area.height - 1
        let first = max(0, min(k.selection - visible + 1, rows.count - visible))
        for (line, e) in rows.dropFirst(first).prefix(max(0, visible)).enumerated() {
            var w = RowWriter(area, row: line + 1)
            w.column(e.keyText, keyW, .key, on: &s)
            if wide { w.column(e.bitdustKey ?? "-", bdW, .normal, on: &s) }
            w.column(e.type ?? "-", 8, .normal, on: &s)
            w.column(Format.bytes(e.size), 5, .normal, on: &s, right: true)
            if wide { w.column(Format.id(e.publisher), 8, .dim, on: &s) }
            w.column(Format.age(seconds: Double(nowUnix - e.published)), 5, .dim, on: &s, right: true)
            let left = e.expiresAt.map { $0 - nowUnix }
            w.column(left.map { $0 <= 0 ? "expired" : Format.age(seconds: Double($0)) } ?? "-", 7,
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
