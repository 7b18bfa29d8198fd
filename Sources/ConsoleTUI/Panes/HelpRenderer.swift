import ConsoleModel

/// Draws the `?` help overlay: a bordered box at most `ConsoleState.helpWidth` columns wide, centred, with the page
/// of `HelpText` scrolled to `ConsoleState.helpScroll`. Nothing inside is cut: lines are laid
/// out for the box's width, and what does not fit in its height is reached by scrolling (the
/// bottom edge says how). Reads the state only.
enum HelpRenderer {
    /// Where the box goes on a `width`×`height` screen, for a page of `lineCount` lines.
    static func box(width: Int, height: Int, lineCount: Int) -> Rect {
        let w = min(width, ConsoleState.helpWidth)
        let h = min(height, lineCount + 2)
        return Rect(x: (width - w) / 2, y: (height - h) / 2, width: w, height: h)
    }

    static func draw(_ st: ConsoleState, on s: inout Surface) {
        let area = st.helpArea
        guard area.width >= 1, area.height >= 1 else { return }
        let lines = HelpText.lines(width: area.width)
        let r = box(width: st.width, height: st.height, lineCount: lines.count)
        let inner = r.height - 2
        let most = max(0, lines.count - inner)
        let scroll = min(most, max(0, st.helpScroll))
        s.fill(r, role: .help)
        let g = s.glyphs
        let rule = String(repeating: g.horizontal, count: max(0, r.width - 2))
        s.put(String(g.corners[0]) + rule + String(g.corners[1]), x: r.x, y: r.y, role: .border)
        s.put(String(g.corners[2]) + rule + String(g.corners[3]), x: r.x, y: r.y + r.height - 1, role: .border)
        for y in (r.y + 1)..<(r.y + r.height - 1) {
            s[r.x, y] = Cell(g.vertical, role: .border)
            s[r.x + r.width - 1, y] = Cell(g.vertical, role: .border)
        }
        edgeTitle(" \(HelpText.keysTitle) ", y: r.y, in: r, role: .titleFocused, on: &s)
        let footer: String
        if most == 0 {
            footer = " any key closes this help "
        } else {
            footer = " ↑↓ PgUp/Dn scroll \(scroll + 1)-\(scroll + inner)/\(lines.count), other keys close "
        }
        edgeTitle(footer, y: r.y + r.height - 1, in: r, role: .dim, on: &s)
        for (i, line) in lines.dropFirst(scroll).prefix(inner).enumerated() {
            let y = r.y + 1 + i
            switch line {
            case .text(let text):
                s.put(text, x: r.x + 2, y: y, role: .help, limit: area.width)
            case .rule(let title):
                s.put(
                    String(g.corners[4]) + String(repeating: g.horizontal, count: r.width - 2) + String(g.corners[5]),
                    x: r.x, y: y, role: .border)
                s.put(" \(title) ", x: r.x + 2, y: y, role: .titleFocused, limit: area.width)
            }
        }
    }

    /// Writes `text` on the box's top or bottom edge, two columns in, when it fits between the corners.
    static func edgeTitle(_ text: String, y: Int, in r: Rect, role: ThemeRole, on s: inout Surface) {
        let room = r.width - 4
        guard room > 0 else { return }
        let shown = text.count <= room ? text : s.glyphs.clip(text, room)
        s.put(shown, x: r.x + 2, y: y, role: role, limit: room)
    }
}
