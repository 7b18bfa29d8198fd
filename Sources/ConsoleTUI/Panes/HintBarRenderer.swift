import ConsoleModel

/// Draws the key-hint bar above the prompt, as htop's F-key bar and k9s's hints do: the keys
/// that work now, each as a key and a word. What it lists follows the state: the prompt's keys
/// while a line is typed, the help's while the help is open, else the function keys and the
/// focused pane's own keys. Hints that do not fit are left out from the end. Reads the state only.
enum HintBarRenderer {
    /// One hint: the key as the user types it and what it does.
    struct Hint: Hashable {
        var key: String
        var label: String
        init(_ key: String, _ label: String) {
            self.key = key
            self.label = label
        }
    }

    /// The hints for the state, most useful first.
    static func hints(_ st: ConsoleState) -> [Hint] {
        if st.prompt.isEditing {
            if case .filter = st.prompt.mode {
                return [Hint("Enter", "Keep filter"), Hint("Esc", "Cancel"), Hint("^U", "Clear")]
            }
            return [
                Hint("Enter", "Run"), Hint("Esc", "Cancel"), Hint("Tab", "Complete"), Hint("↑↓", "History"),
                Hint("^A/^E", "Start/End"), Hint("^U", "Clear")
            ]
        }
        if st.showHelp {
            return [Hint("↑↓", "Scroll"), Hint("PgUp/PgDn", "Page"), Hint("Home/End", "Top/End"), Hint("any key", "Close")]
        }
        var list = [Hint("F1", "Help"), Hint(":", "Command"), Hint("F3", "Search"), Hint("F6", "Sort")]
        switch st.focus {
        case .buckets: list.append(Hint("Enter", st.buckets.openRow == nil ? "Contacts" : "Back"))
        case .keys: list.append(Hint("Enter", "Record"))
        case .record: list.append(Hint("r", st.record.showRaw ? "Decoded" : "Raw"))
        default: break
        }
        list += [Hint("Tab", "Pane"), Hint("Space", st.paused ? "Resume" : "Pause")]
        if st.knownLayers.count > 1 { list.append(Hint("[ ]", "Layer")) }
        list.append(Hint("F10", "Quit"))
        return list
    }

    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        guard r.width > 0, r.height > 0 else { return }
        s.fill(r)
        var list = hints(st)
        // Quit stays in view: drop from the end of the rest until everything fits.
        let quit = list.last?.key == "F10" ? list.removeLast() : nil
        func width(_ l: [Hint]) -> Int { l.reduce(0) { $0 + $1.key.count + $1.label.count + 1 } }
        while !list.isEmpty, width(list) + (quit.map { width([$0]) } ?? 0) > r.width { list.removeLast() }
        if let quit, width(list) + width([quit]) <= r.width { list.append(quit) }
        var x = r.x
        for h in list {
            x += s.put(h.key, x: x, y: r.y, role: .normal, attributes: [.bold], limit: r.x + r.width - x)
            x += s.put(h.label, x: x, y: r.y, role: .selection, limit: r.x + r.width - x)
            x += 1
        }
    }
}
