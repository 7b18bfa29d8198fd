import ConsoleModel

/// Draws a pane's title rule (`─ 1 K-buckets ─ extra ───`) and returns the content area below it.
enum PaneFrame {
    static func draw(
        _ pane: PaneID, title: String, extra: String, focused: Bool, in r: Rect,
        on s: inout Surface
    ) -> Rect {
        guard r.height > 0, r.width > 0 else { return r }
        let h = String(s.glyphs.horizontal)
        s.put(String(repeating: h, count: r.width), x: r.x, y: r.y, role: .border, limit: r.width)
        var w = RowWriter(r, row: 0)
        w.add(h, .border, on: &s, gap: 0)
        w.add(" \(pane.rawValue) \(title) ", focused ? .titleFocused : .title, on: &s, gap: 0)
        if !extra.isEmpty {
            w.add(h, .border, on: &s, gap: 0)
            w.add(" " + s.glyphs.clip(extra, max(0, w.remaining - 3)) + " ", .dim, on: &s, gap: 0)
        }
        return r.droppingTop(1)
    }
}
