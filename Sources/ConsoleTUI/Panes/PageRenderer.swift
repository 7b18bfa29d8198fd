import ConsoleModel

/// Draws a full-screen page over the panes (a contact's details, a lookup's rounds, the results
/// log): a title rule, the lines from `ConsoleState.pageScroll`, a rule with the page's
/// position and keys, and the latest message on the last line. Long lines are cut with an ellipsis here; the results log's file
/// (`w`) keeps them whole. Reads the state only.
enum PageRenderer {
    static func draw(_ st: ConsoleState, on s: inout Surface) {
        guard let content = st.pageContent, st.width > 0, st.height > 2 else { return }
        let full = Rect(x: 0, y: 0, width: st.width, height: st.height)
        s.fill(full)
        let h = String(s.glyphs.horizontal)
        s.put(String(repeating: h, count: st.width), x: 0, y: 0, role: .border, limit: st.width)
        s.put(" " + s.glyphs.clip(content.title, max(0, st.width - 4)) + " ", x: 1, y: 0, role: .titleFocused, limit: st.width - 1)
        let rows = st.height - 3
        let scroll = min(st.pageScroll, st.pageMaxScroll)
        for (i, line) in content.lines.dropFirst(scroll).prefix(rows).enumerated() {
            s.put(s.glyphs.clip(line.text, st.width - 1), x: 1, y: 1 + i, role: line.role, limit: st.width - 1)
        }
        let y = st.height - 2
        s.put(String(repeating: h, count: st.width), x: 0, y: y, role: .border, limit: st.width)
        let total = content.lines.count
        let position = total <= rows ? "all \(total) lines" : "lines \(scroll + 1)-\(min(total, scroll + rows)) of \(total)"
        // The page's keys on the rule; the whole last line for the latest message (a command's
        // result, where `w` wrote the log), like the status line under the panes.
        var rule = RowWriter(Rect(x: 1, y: y, width: st.width - 2, height: 1), row: 0)
        rule.add(" \(position) ", .dim, on: &s, gap: 0)
        rule.add(h, .border, on: &s, gap: 0)
        rule.add(" " + s.glyphs.clip(content.keys, max(0, rule.remaining - 2)) + " ", .help, on: &s, gap: 0)
        var w = RowWriter(Rect(x: 0, y: st.height - 1, width: st.width, height: 1), row: 0)
        let p = st.prompt
        if let running = p.running {
            w.add("[\(running)]", .lookup, on: &s)
            w.add(p.progress ?? "…", .dim, on: &s)
        } else {
            let role: ThemeRole = p.tone == .error ? .promptError : p.tone == .success ? .promptSuccess : .dim
            w.add(p.message, role, on: &s)
        }
    }
}
