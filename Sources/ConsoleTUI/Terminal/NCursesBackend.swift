import CNCursesw
import ConsoleModel

/// Flushes `Surface` frames to the terminal through ncursesw, writing only the cells that
/// changed since the previous frame, with theme roles mapped to color pairs.
///
/// Contract: ncurses is not thread-safe; create, use and drop this only on the thread that owns
/// the curses screen (the console's main thread), between `newterm` and `endwin`.
public final class NCursesBackend {
    /// How colors are used.
    public enum ColorMode: String, Sendable { case color256, color8, monochrome }

    public private(set) var colorMode: ColorMode
    public private(set) var theme: Theme
    private var previous: Surface?
    private let window: UnsafeMutablePointer<WINDOW>
    /// Cells written by the last `draw` (for tests and the idle check).
    public private(set) var lastWriteCount = 0

    /// Sets up colors for `theme` on the current screen; `noColor` forces monochrome.
    public init(theme: Theme, noColor: Bool) {
        window = nc_stdscr()
        if noColor || !has_colors() {
            colorMode = .monochrome
        } else {
            start_color()
            use_default_colors()
            colorMode = nc_colors() >= 256 ? .color256 : .color8
        }
        self.theme = theme
        installPairs()
    }

    /// Switches theme and forces a full redraw.
    public func setTheme(_ theme: Theme) {
        self.theme = theme
        installPairs()
        invalidate()
    }

    /// Forgets the previous frame so the next `draw` rewrites every cell (after resize).
    public func invalidate() {
        previous = nil
        clearok(window, true)
    }

    private func color(_ c: Int?) -> Int16 {
        guard let c else { return -1 }
        return Int16(colorMode == .color256 ? c : Theme.eightColor(c))
    }

    private func installPairs() {
        guard colorMode != .monochrome else { return }
        for (i, role) in ThemeRole.allCases.enumerated() {
            let st = theme.style(role)
            init_pair(Int16(i + 1), color(st.foreground), color(st.background))
        }
    }

    private func attributes(_ cell: Cell) -> (attr_t, Int32) {
        var a: CellAttributes = cell.attributes
        var pair: Int32 = 0
        if colorMode == .monochrome {
            a.formUnion(cell.role.monochrome)
        } else {
            let st = theme.style(cell.role)
            a.formUnion(st.attributes)
            if colorMode == .color8, let fg = st.foreground, (8..<16).contains(fg) { a.insert(.bold) }
            pair = Int32(ThemeRole.allCases.firstIndex(of: cell.role)! + 1)
        }
        var out = nc_a_normal()
        if a.contains(.bold) { out |= nc_a_bold() }
        if a.contains(.reverse) { out |= nc_a_reverse() }
        if a.contains(.underline) { out |= nc_a_underline() }
        if a.contains(.dim) { out |= nc_a_dim() }
        return (out, pair)
    }

    /// Writes the cells of `frame` that differ from the last frame, places the cursor, and
    /// refreshes the terminal.
    public func draw(_ frame: ScreenRenderer.Frame) {
        let s = frame.surface
        if let p = previous, p.width != s.width || p.height != s.height { invalidate() }
        var written = 0
        for y in 0..<s.height {
            var x = 0
            while x < s.width {
                let cell = s[x, y]
                // The right half of a wide character is drawn with its left half.
                if cell.isContinuation || previous.map({ $0[x, y] == cell }) == true {
                    x += 1
                    continue
                }
                // A run of changed cells with the same look.
                var run: [wchar_t] = []
                let start = x
                while x < s.width, s[x, y].role == cell.role, s[x, y].attributes == cell.attributes,
                    previous.map({ $0[x, y] != s[x, y] }) ?? true
                {
                    if !s[x, y].isContinuation {
                        let scalar = s[x, y].character.unicodeScalars.first!
                        run.append(wchar_t(bitPattern: scalar.value))
                    }
                    x += 1
                }
                let (attr, pair) = attributes(cell)
                nc_set_attr(window, attr, pair)
                run.append(0)
                mvwaddnwstr(window, Int32(y), Int32(start), run, Int32(run.count - 1))
                written += run.count - 1
            }
        }
        nc_set_attr(window, nc_a_normal(), 0)
        if let c = frame.cursor {
            curs_set(1)
            wmove(window, Int32(c.y), Int32(c.x))
        } else {
            curs_set(0)
        }
        previous = s
        lastWriteCount = written
        wnoutrefresh(window)
        doupdate()
    }
}
