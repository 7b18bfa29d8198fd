import ConsoleModel

/// Draws the Record pane: the selected key's value decoded as a BitDust record (or raw, after
/// `r`), or a command's detail. The model (`RecordPane.content`) decides what; this only draws.
/// Every line is sanitized by the surface. Reads the state only.
enum RecordRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let content = st.record.content(selected: st.keys.selected(layer: st.layer), now: st.now.unixSeconds)
        let filter = st.record.filter.isEmpty ? "" : "  /\(st.record.filter.typed)"
        let extra = (content.mode.map { "\(content.title) · \($0) (r)" } ?? content.title) + filter
        let area = PaneFrame.draw(.record, title: "Record", extra: extra, focused: st.focus == .record, in: r, on: &s)
        let lines = content.lines
        let start = min(st.record.scroll, max(0, lines.count - 1))
        // Lines wider than the pane end in an ellipsis; the last row leaves room for "+N" when
        // more lines follow, so the marker never overwrites text.
        let hidden = max(0, lines.count - start - area.height)
        let more = hidden > 0 ? " +\(hidden)" : ""
        for (row, line) in lines.dropFirst(start).prefix(area.height).enumerated() {
            let role: ThemeRole = line.hasPrefix("  INVALID:") || line.hasPrefix("BitDust's reader") ? .bad : .record
            let room = row == area.height - 1 ? area.width - more.count : area.width
            s.put(s.glyphs.clip(line, room), x: area.x, y: area.y + row, role: role, limit: max(0, room))
        }
        if hidden > 0, area.height > 0, area.width > more.count {
            s.put(more, x: area.x + area.width - more.count, y: area.y + area.height - 1, role: .dim)
        }
    }
}
