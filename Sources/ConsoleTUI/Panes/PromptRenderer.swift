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
            let text = p.buffer.line
            let room = max(1, r.width - lead.count - 1)
            let shift = max(0, p.buffer.cursor - room + 1)
            var w = RowWriter(r, row: 0)
            w.add(lead, .prompt, on: &s, gap: 0)
            w.add(String(text.dropFirst(shift)), .prompt, on: &s, gap: 0)
            if !p.completions.isEmpty, r.y > 0 {
                let list = p.completions.joined(separator: "  ")
                s.fill(Rect(x: r.x, y: r.y - 1, width: r.width, height: 1), role: .help)
                s.put(list, x: r.x + 1, y: r.y - 1, role: .help, limit: r.width - 2)
            }
            return (r.x + lead.count + p.buffer.cursor - shift, r.y)
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
            let role: ThemeRole = p.tone == .error ? .promptError : p.tone == .success ? .promptSuccess : .dim
            w.add(p.message, role, on: &s)
        }
        if !hint.isEmpty { s.put(hint, x: r.x + r.width - rightW, y: r.y, role: .dim) }
        if !right.isEmpty { s.put(right, x: r.x + r.width - right.count, y: r.y, role: .warning) }
        return nil
    }
}
