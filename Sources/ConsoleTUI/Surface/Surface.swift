import ConsoleModel

/// One character cell: a character, what it means, and extra attributes. A wide (two-column)
/// character sits in its first cell; the cell to its right holds `Cell.continuation`.
/// A value type; thread-safe.
public struct Cell: Sendable, Hashable {
    public var character: Character
    public var role: ThemeRole
    public var attributes: CellAttributes
    public init(_ character: Character = " ", role: ThemeRole = .normal, attributes: CellAttributes = []) {
        self.character = character
        self.role = role
        self.attributes = attributes
    }

    /// Whether this cell is the right half of a wide character (never drawn itself).
    public private(set) var isContinuation = false

    /// The right half of a wide character drawn in `role`.
    static func continuation(role: ThemeRole, attributes: CellAttributes) -> Cell {
        var cell = Cell(" ", role: role, attributes: attributes)
        cell.isContinuation = true
        return cell
    }

    /// This cell made a plain blank (what is left of half a wide character).
    var blanked: Cell { Cell(" ", role: role, attributes: attributes) }
}

/// A rectangle on the surface. A value type.
public struct Rect: Sendable, Hashable {
    public var x, y, width, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }
    /// Whether the cell (x, y) is inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }
    /// The rectangle without its first `rows` rows.
    public func droppingTop(_ rows: Int) -> Rect { Rect(x: x, y: y + rows, width: width, height: height - rows) }
}

/// A drawn row of a pane's list that a click selects: which pane, which item of its list, and
/// where on the screen. A value type.
public struct RowTarget: Sendable, Hashable {
    public var pane: PaneID
    public var item: Int
    public var y: Int
    public var x: Int
    public var width: Int
}

/// An in-memory grid of cells that renderers draw into; the ncurses backend flushes it and
/// tests dump it as text.
///
/// Contract: every string written goes through `Sanitizer`, so nothing from the network can
/// reach the terminal as a control sequence; writes outside the grid or the clip are ignored.
/// A value type; owned by the UI thread while drawing.
public struct Surface: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Draw ASCII-only glyphs (non-UTF-8 locale).
    public var glyphs: Glyphs
    /// The list rows drawn, for the mouse (see `mark`).
    public private(set) var targets: [RowTarget] = []

    public init(width: Int, height: Int, glyphs: Glyphs = .unicode) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: Cell(), count: self.width * self.height)
        self.glyphs = glyphs
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard x >= 0, y >= 0, x < width, y < height else { return }
            let i = y * width + x
            // Never leave half of a wide character: overwriting either half blanks the other.
            if cells[i].isContinuation, !newValue.isContinuation, x > 0, !cells[i - 1].isContinuation {
                cells[i - 1] = cells[i - 1].blanked
            }
            if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation { cells[i + 1] = cells[i + 1].blanked }
            cells[i] = newValue
        }
    }

    /// Writes `text` (sanitized) from (x, y), at most `limit` columns; returns columns written.
    @discardableResult
    public mutating func put(
        _ text: String, x: Int, y: Int, role: ThemeRole = .normal,
        attributes: CellAttributes = [], limit: Int? = nil
    ) -> Int {
        guard y >= 0, y < height else { return 0 }
        let clean = Sanitizer.clean(text)
        let maxCols = min(limit ?? width, width - x)
        var col = 0
        for ch in clean {
            if col >= maxCols { break }
            let ascii = ch.isASCII
            let shown: Character = glyphs.ascii && !ascii ? Glyphs.asciiFallback(ch) : ch
            let columns = ascii ? 1 : TextWidth.columns(shown)
            if columns == 2 {
                // A wide character that does not fit whole is not drawn; the column stays blank.
                guard col + 2 <= maxCols else {
                    self[x + col, y] = Cell(" ", role: role, attributes: attributes)
                    col += 1
                    break
                }
                self[x + col, y] = Cell(shown, role: role, attributes: attributes)
                self[x + col + 1, y] = Cell.continuation(role: role, attributes: attributes)
            } else {
                self[x + col, y] = Cell(shown, role: role, attributes: attributes)
            }
            col += columns
        }
        return max(0, col)
    }

    /// Fills a rectangle with `ch` in `role`.
    public mutating func fill(_ r: Rect, _ ch: Character = " ", role: ThemeRole = .normal, attributes: CellAttributes = []) {
        for y in r.y..<(r.y + r.height) {
            for x in r.x..<(r.x + r.width) { self[x, y] = Cell(ch, role: role, attributes: attributes) }
        }
    }

    /// Changes the role of every cell in a row span (e.g. to highlight a selection).
    public mutating func restyle(x: Int, y: Int, width w: Int, role: ThemeRole) {
        guard y >= 0, y < height else { return }
        for cx in max(0, x)..<min(width, x + w) { self[cx, y].role = role }
    }

    /// Records that row `y` from `x`, `width` columns wide, shows item `item` of `pane`'s list.
    public mutating func mark(_ pane: PaneID, item: Int, y: Int, x: Int, width: Int) {
        targets.append(RowTarget(pane: pane, item: item, y: y, x: x, width: width))
    }

    /// The list row under (x, y), if any.
    public func target(x: Int, y: Int) -> RowTarget? {
        targets.last { $0.y == y && x >= $0.x && x < $0.x + $0.width }
    }

    /// The grid as text, one line per row, trailing spaces kept (for snapshot files).
    public var text: String {
        (0..<height).map { y in String((0..<width).compactMap { x in self[x, y].isContinuation ? nil : self[x, y].character }) }
            .joined(separator: "\n") + "\n"
    }
}
