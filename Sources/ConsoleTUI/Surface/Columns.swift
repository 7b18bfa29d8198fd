/// One column of a pane's table: its header titles (longest first: the longest that fits is
/// shown), the narrowest width it is still useful at, the width it needs to show its values
/// whole, and how important it is (0 first). A value type.
struct ColumnSpec: Sendable, Hashable {
    var titles: [String]
    var min: Int
    var ideal: Int
    var priority: Int
    var right = false
    /// Takes whatever room is left once every shown column has its ideal width.
    var flex = false
    /// When it grows toward its ideal width, lowest first (the priority when not given).
    var growth: Int
    /// Shown only when the other columns have their ideal width and it still fits (a nicety).
    var extra = false

    init(
        _ titles: [String], min: Int, ideal: Int? = nil, priority: Int, right: Bool = false, flex: Bool = false,
        growth: Int? = nil, extra: Bool = false
    ) {
        self.growth = growth ?? priority
        self.extra = extra
        self.titles = titles
        self.min = min
        self.ideal = Swift.max(min, ideal ?? min)
        self.priority = priority
        self.right = right
        self.flex = flex
    }

    /// The longest title that fits `width` columns (the last one, cut, when none does).
    func title(_ width: Int) -> String { titles.first { $0.count <= width } ?? titles.last ?? "" }
}

/// Column widths fitted to a pane: columns that do not fit even at their minimum are dropped,
/// least important first; the room left grows the shown columns toward their ideal width (in
/// their `growth` order), and then the flexible columns. Nothing is dropped while it fits. Pure.
struct Columns: Sendable, Hashable {
    let specs: [ColumnSpec]
    /// Width of each column of `specs`, 0 when dropped.
    let widths: [Int]

    init(_ specs: [ColumnSpec], width: Int, gap: Int = 1) {
        self.specs = specs
        var shown = specs.map { !$0.extra }
        func used() -> Int {
            let cols = specs.indices.filter { shown[$0] }
            return cols.reduce(0) { $0 + specs[$1].min } + Swift.max(0, cols.count - 1) * gap
        }
        let byImportance = specs.indices.sorted { (specs[$0].priority, $0) < (specs[$1].priority, $1) }
        for i in byImportance.reversed() where used() > width { shown[i] = false }
        var w = specs.indices.map { shown[$0] ? specs[$0].min : 0 }
        var room = Swift.max(0, width - used())
        let byGrowth = specs.indices.sorted { (specs[$0].growth, $0) < (specs[$1].growth, $1) }
        for i in byGrowth where shown[i] && room > 0 {
            let grow = Swift.min(room, specs[i].ideal - w[i])
            w[i] += grow
            room -= grow
        }
        for i in byImportance where specs[i].extra && room >= specs[i].min + gap {
            shown[i] = true
            w[i] = specs[i].min
            room -= specs[i].min + gap
        }
        let flexible = byImportance.filter { shown[$0] && specs[$0].flex }
        for (n, i) in flexible.enumerated() where room > 0 {
            let grow = room / (flexible.count - n)
            w[i] += grow
            room -= grow
        }
        widths = w
    }

    /// The width of the column whose first title is `name` (0 when dropped or unknown).
    subscript(_ name: String) -> Int {
        guard let i = specs.firstIndex(where: { $0.titles.first == name }) else { return 0 }
        return widths[i]
    }

    /// Writes `text` in the column whose first title is `name`, padded or cut to its width;
    /// nothing when the column is dropped.
    func put(_ name: String, _ text: String, _ role: ThemeRole, _ w: inout RowWriter, on s: inout Surface) {
        guard let i = specs.firstIndex(where: { $0.titles.first == name }), widths[i] > 0 else { return }
        w.column(text, widths[i], role, on: &s, right: specs[i].right)
    }

    /// Writes the header row: each shown column's longest title that fits.
    func header(_ w: inout RowWriter, on s: inout Surface, role: ThemeRole = .dim) {
        for (i, spec) in specs.enumerated() where widths[i] > 0 {
            w.column(spec.title(widths[i]), widths[i], role, on: &s, right: spec.right)
        }
    }
}

/// The first row shown of a list of `count` rows in `visible` rows so that `selection` is on
/// screen (the list scrolls only as far as it must). Renderers and the mouse agree through it.
func firstVisibleRow(selection: Int, visible: Int, count: Int) -> Int {
    max(0, min(selection - visible + 1, count - visible))
}

import ConsoleModel
