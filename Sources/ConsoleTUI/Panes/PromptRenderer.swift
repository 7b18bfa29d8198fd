import ConsoleModel

/// Draws the bottom line (message, or the line being edited) and completion candidates above
/// it; returns where the terminal cursor belongs while editing. Reads the state only.
enum PromptRenderer {
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) -> (x: Int, y: Int)? {
        s.fill(r)
        let p = st.prompt
        if p.isEditing {
            let lead: String
            if case .filter(let pane) = p.mode { lead = "/\(pane.title.lowercased()): " } else { lead = ":" }
            // Columns, not characters: typed CJK and emoji take two (`TextWidth`), escapes more.
            let shown = p.buffer.text.map { Sanitizer.clean(String($0)) }
            let room = max(1, r.width - lead.count - 1)
            var before = shown[..<p.buffer.cursor].reduce(0) { $0 + TextWidth.columns($1) }
            var shift = 0
            while before > room - 1, shift < p.buffer.cursor {
                before -= TextWidth.columns(shown[shift])
                shift += 1
            }
            var w = RowWriter(r, row: 0)
            w.add(lead, .prompt, on: &s, gap: 0)
            w.add(shown[shift...].joined(), .prompt, on: &s, gap: 0)
            let above = p.notice.map { [$0] } ?? (p.completions.isEmpty ? nil : [p.completions.joined(separator: "  ")])
            if let above, r.y > 0 {
                s.fill(Rect(x: r.x, y: r.y - 1, width: r.width, height: 1), role: .help)
                s.put(above[0], x: r.x + 1, y: r.y - 1, role: .help, limit: r.width - 2)
            }
            return (r.x + lead.count + before, r.y)
        }
        var right = ""
        if st.paused { right += " PAUSED" }
        if st.options.readOnly { right += " read-only" }
        // The status line holds the latest result; the whole of every result is one key away.
        // The hint gives way to a message that fits the line only without it.
        let message = p.running == nil ? p.message.count : r.width
        var hint = st.results.isEmpty ? "" : " L: log"
        if !hint.isEmpty, message + right.count + hint.count > r.width, message + right.count <= r.width { hint = "" }
        let rightW = right.count + hint.count
        var w = RowWriter(Rect(x: r.x, y: r.y, width: r.width - rightW, height: 1), row: 0)
        if let running = p.running {
            w.add("[\(running)]", .lookup, on: &s)
            w.add(p.progress ?? "…", .dim, on: &s)
        } else {
            if let warning = p.warning { w.add("! " + warning + "  ", .promptError, on: &s) }
            let role: ThemeRole = p.tone == .error ? .promptError : p.tone == .success ? .promptSuccess : .dim
            w.add(p.message, role, on: &s)
        }
        if !hint.isEmpty { s.put(hint, x: r.x + r.width - rightW, y: r.y, role: .dim) }
        if !right.isEmpty { s.put(right, x: r.x + r.width - right.count, y: r.y, role: .warning) }
        return nil
    }
}
