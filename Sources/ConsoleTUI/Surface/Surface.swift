import ConsoleModel

/// One character cell: a one-column character, what it means, and extra attributes.
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
            cells[y * width + x] = newValue
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
            let shown: Character = glyphs.ascii && !ch.isASCII ? Glyphs.asciiFallback(ch) : ch
            self[x + col, y] = Cell(shown, role: role, attributes: attributes)
            col += 1
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
        (0..<height).map { y in String((0..<width).map { self[$0, y].character }) }.joined(separator: "\n") + "\n"
    }
}
