import ConsoleModel

/// Draws the `?` help overlay over the centre of the screen. Reads nothing but its text.
enum HelpRenderer {
    static let keys: [String] = [
        "Tab/Shift-Tab, 1-5  focus pane        : or 6  command prompt",
        "arrows j/k PgUp/Dn  move              Enter   open bucket / record",
        "Esc                 back, clear filter /       filter keys or events",
        "s / r               sort keys / raw or decoded record     Space pause",
        "[ ]                 previous/next layer q      quit",
        "Prompt: Up/Down history, Left/Right, Ctrl-A/E/U/W/K, Tab completes",
    ]

    static func draw(in screen: Rect, on s: inout Surface) {
        let lines = ["dhtop keys"] + keys + ["", "Commands"] + PromptCommand.usage + ["", "any key closes this help"]
        let w = min(screen.width - 2, (lines.map(\.count).max() ?? 40) + 4)
        let h = min(screen.height - 2, lines.count + 2)
        let r = Rect(x: (screen.width - w) / 2, y: (screen.height - h) / 2, width: w, height: h)
        s.fill(r, role: .help)
        for (i, line) in lines.prefix(h - 2).enumerated() {
            let role: ThemeRole = (line == "dhtop keys" || line == "Commands") ? .titleFocused : .help
            s.put(line, x: r.x + 2, y: r.y + 1 + i, role: role, limit: w - 4)
        }
    }
}
