import ConsoleModel

/// Draws the Events pane: the newest lines that pass the filter, scrolled as the state says.
/// Reads the state only.
enum EventsRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let e = st.events
        var extra = "\(e.visible.count) shown"
        if !e.filter.isEmpty { extra += "  /\(e.filterInverted ? "!" : "")\(e.filter)" }
        if e.scroll > 0 { extra += "  scrolled \(e.scroll), End or Esc: live" }
        if e.lines.dropped > 0 { extra += "  \(e.lines.dropped) older dropped" }
        let area = PaneFrame.draw(.events, title: "Events", extra: extra, focused: st.focus == .events, in: r, on: &s)
        for (row, line) in e.window(height: area.height).enumerated() {
            var w = RowWriter(area, row: row)
            w.add(clockText(line.at), .dim, on: &s)
            w.add(line.text, role(line.category), on: &s)
        }
    }

    static func role(_ c: EventCategory) -> ThemeRole {
        switch c {
        case .routing: return .good
        case .rpc: return .rpcOut
        case .served: return .rpcIn
        case .lookup: return .lookup
        case .record: return .key
        case .drop: return .questionable
        case .layer: return .headerValue
        case .command: return .promptSuccess
        case .error: return .bad
        }
    }
}
