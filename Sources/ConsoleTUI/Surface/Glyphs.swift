import BitDustRecords
/// The characters used for rules, bars and sparklines: Unicode when the locale is UTF-8,
/// ASCII otherwise (old terminals, `LANG=C` over SSH). A value type; thread-safe.
public struct Glyphs: Sendable, Hashable {
    public var ascii: Bool
    public var horizontal: Character
    public var vertical: Character
    public var barFull: Character
    public var barEmpty: Character
    /// Sparkline levels, lowest first.
    public var spark: [Character]
    public var ellipsis: Character
    /// Box corners: top-left, top-right, bottom-left, bottom-right, then the left and right tees.
    public var corners: [Character] = Array("┌┐└┘├┤")

    public static let unicode = Glyphs(
        ascii: false, horizontal: "─", vertical: "│", barFull: "█", barEmpty: "·",
        spark: Array("▁▂▃▄▅▆▇█"), ellipsis: "…")
    /// Unicode without colors (`NO_COLOR`, monochrome terminals): bars in shades, which stay
    /// visible and distinct in reverse video (a selected row), where a full block turns blank.
    public static let unicodeMonochrome = Glyphs(
        ascii: false, horizontal: "─", vertical: "│", barFull: "▓", barEmpty: "░",
        spark: Array("▁▂▃▄▅▆▇█"), ellipsis: "…")
    public static let plain = Glyphs(
        ascii: true, horizontal: "-", vertical: "|", barFull: "#", barEmpty: ".",
        spark: Array("_.-=+*#@"), ellipsis: "~", corners: Array("++++++"))

    /// A bar of `width` cells filled `value/total` of the way.
    public func bar(_ value: Int, of total: Int, width: Int) -> (full: String, empty: String) {
        guard width > 0 else { return ("", "") }
        let n = total <= 0 ? 0 : min(width, (value * width + total - 1) / total)
        return (String(repeating: barFull, count: n), String(repeating: barEmpty, count: width - n))
    }

    /// A sparkline of the last `width` values scaled to their maximum.
    public func sparkline(_ values: [Int], width: Int) -> String {
        let tail = values.suffix(width)
        let top = max(1, tail.max() ?? 1)
        let line = tail.map { v in spark[v == 0 ? 0 : max(1, min(spark.count - 1, v * (spark.count - 1) / top))] }
        return String(repeating: " ", count: max(0, width - tail.count)) + String(line)
    }

    /// The ASCII stand-in for a non-ASCII character in ASCII mode (`?` when there is none).
    public static func asciiFallback(_ ch: Character) -> Character {
        switch ch {
        case "…": return "~"
        case "─", "━": return "-"
        case "│", "┃": return "|"
        case "┌", "┐", "└", "┘", "├", "┤": return "+"
        case "↑": return "^"
        case "↓": return "v"
        case "←": return "<"
        case "→": return ">"
        case "·": return "."
        case "×": return "x"
        case "█", "▇", "▆", "▅", "▓": return "#"
        case "░": return "."
        case "▄", "▃": return "="
        case "▂", "▁": return "_"
        default: return "?"
        }
    }

    /// `s` clipped to `width` with this set's ellipsis.
    public func clip(_ s: String, _ width: Int) -> String {
        if width <= 0 { return "" }
        let clean = Sanitizer.clean(s)
        return TextWidth.columns(clean) <= width ? clean : String(TextWidth.prefix(clean, columns: width - 1)) + String(ellipsis)
    }
}
