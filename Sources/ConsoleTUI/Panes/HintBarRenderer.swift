import ConsoleModel

/// Draws the key-hint bar above the prompt, as htop's F-key bar and k9s's hints do: the keys
/// that work now, each as a key and a word. What it lists follows the state: the prompt's keys
/// while a line is typed, the help's while the help is open, else the function keys and the
/// focused pane's own keys. Hints that do not fit are left out from the end. Reads the state only.
enum HintBarRenderer {
    /// One hint: the key as the user types it, what it does, and the key a click on it presses.
    struct Hint: Hashable {
        var key: String
        var label: String
        var press: KeyPress
        init(_ key: String, _ label: String, _ press: KeyPress) {
            self.key = key
            self.label = label
            self.press = press
        }
    }

    /// The hints for the state, most useful first.
    static func hints(_ st: ConsoleState) -> [Hint] {
        if st.prompt.isEditing {
            if case .filter = st.prompt.mode {
                return [Hint("Enter", "Keep filter", .enter), Hint("Esc", "Cancel", .escape), Hint("^U", "Clear", .ctrl("u"))]
            }
            return [
                Hint("Enter", "Run", .enter), Hint("Esc", "Cancel", .escape), Hint("Tab", "Complete", .tab), Hint("↑↓", "History", .up),
                Hint("^A/^E", "Start/End", .ctrl("a")), Hint("^U", "Clear", .ctrl("u"))
            ]
        }
        if st.showHelp {
            return [Hint("↑↓", "Scroll", .down), Hint("PgUp/PgDn", "Page", .pageDown), Hint("Home/End", "Top/End", .end), Hint("any key", "Close", .escape)]
        }
        var list = [Hint("F1", "Help", .function(1)), Hint(":", "Command", .char(":")), Hint("F3", "Search", .function(3)), Hint("F6", "Sort", .function(6))]
        switch st.focus {
        case .buckets: list.append(st.buckets.openRow == nil ? Hint("Enter", "Contacts", .enter) : Hint("Esc", "Back", .escape))
        case .keys: list.append(Hint("Enter", "Record", .enter))
        case .record: list.append(Hint("r", st.record.showRaw ? "Decoded" : "Raw", .char("r")))
        default: break
        }
        list += [Hint("Tab", "Pane", .tab), Hint("Space", st.paused ? "Resume" : "Pause", .char(" "))]
        if st.knownLayers.count > 1 { list.append(Hint("[ ]", "Layer", .char("]"))) }
        list.append(Hint("F10", "Quit", .function(10)))
        return list
    }

    /// A drawn hint: where, and the key a click on it presses. A value type.
    struct Target: Sendable, Hashable {
        var x: Int
        var y: Int
        var width: Int
        var press: KeyPress
    }

    /// Draws the bar; returns where each hint went, for the mouse.
    @discardableResult
    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) -> [Target] {
        guard r.width > 0, r.height > 0 else { return [] }
        s.fill(r)
        var list = hints(st)
        // Quit stays in view: drop from the end of the rest until everything fits.
        let quit = list.last?.key == "F10" ? list.removeLast() : nil
        func width(_ l: [Hint]) -> Int { l.reduce(0) { $0 + $1.key.count + $1.label.count + 1 } }
        while !list.isEmpty, width(list) + (quit.map { width([$0]) } ?? 0) > r.width { list.removeLast() }
        if let quit, width(list) + width([quit]) <= r.width { list.append(quit) }
        var x = r.x
        var targets: [Target] = []
        for h in list {
            let start = x
            x += s.put(h.key, x: x, y: r.y, role: .normal, attributes: [.bold], limit: r.x + r.width - x)
            x += s.put(h.label, x: x, y: r.y, role: .selection, limit: r.x + r.width - x)
            targets.append(Target(x: start, y: r.y, width: x - start, press: h.press))
            x += 1
        }
        return targets
    }
}
