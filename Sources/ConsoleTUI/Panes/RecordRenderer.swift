import ConsoleModel

/// Draws the Record pane: the selected key's value pretty-printed, or a command's detail.
/// Every line is sanitized by the surface. Reads the state only.
enum RecordRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let title: String
        let lines: [String]
        switch st.record.source {
        case .commandOutput(let t, let l):
            title = t
            lines = l
        case .selectedKey:
            if let e = st.keys.selected(layer: st.layer) {
                title = e.keyText
                lines = e.value.map(RecordRendering.lines(for:)) ?? ["(the value arrives with the next snapshot)"]
            } else {
                title = "no key selected"
                lines = []
            }
        }
        let area = PaneFrame.draw(.record, title: "Record", extra: title, focused: st.focus == .record, in: r, on: &s)
        let start = min(st.record.scroll, max(0, lines.count - 1))
        for (row, line) in lines.dropFirst(start).prefix(area.height).enumerated() {
            s.put(line, x: area.x, y: area.y + row, role: .record, limit: area.width)
        }
        if lines.count - start > area.height, area.height > 0 {
            let more = "+\(lines.count - start - area.height)"
            s.put(more, x: area.x + area.width - more.count, y: area.y + area.height - 1, role: .dim)
        }
    }
}
