import DHTWire
import ConsoleModel

/// Writes styled segments left to right along one row of a surface, stopping at the row's
/// end. A value type used only while drawing.
struct RowWriter {
    var x: Int
    let y: Int
    let end: Int

    init(_ r: Rect, row: Int) {
        x = r.x
        y = r.y + row
        end = r.x + r.width
    }

    var remaining: Int { max(0, end - x) }

    /// Writes `text` in `role`, then `gap` spaces.
    mutating func add(
        _ text: String, _ role: ThemeRole = .normal, on s: inout Surface,
        gap: Int = 1, attributes: CellAttributes = []
    ) {
        guard remaining > 0 else { return }
        x += s.put(text, x: x, y: y, role: role, attributes: attributes, limit: remaining)
        x += min(gap, remaining)
    }

    /// Writes `text` padded or cut to exactly `width` columns.
    mutating func column(
        _ text: String, _ width: Int, _ role: ThemeRole = .normal, on s: inout Surface,
        right: Bool = false
    ) {
        add(Format.pad(text, width, right: right), role, on: &s)
    }
}

extension Rect {
    /// The rows of the rectangle as row numbers relative to it.
    var rows: Range<Int> { 0..<height }
}

/// Time of day `HH:MM:SS` (UTC) of a timestamp.
func clockText(_ t: Timestamp) -> String {
    let s = Int((t.unixSeconds % 86400 + 86400) % 86400)
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))"
}
