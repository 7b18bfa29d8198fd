/// What a cell means, which a theme turns into colors. Every role must be set by a theme file.
/// A value type; thread-safe.
public enum ThemeRole: String, Sendable, Hashable, CaseIterable {
    /// Ordinary text.
    case normal
    /// Secondary text (units, ages, placeholders).
    case dim
    /// Pane rules and separators.
    case border
    /// Titles of unfocused panes; `titleFocused` for the focused one.
    case title, titleFocused
    /// The header's labels and values.
    case header, headerValue
    /// Contact health and results.
    case good, questionable, bad
    /// The selected row.
    case selection
    /// The prompt line, its errors and successes.
    case prompt, promptError, promptSuccess
    /// Fill bars: the filled and the empty part.
    case barFull, barEmpty
    /// Traffic direction and lookups in the events and in-flight panes.
    case rpcOut, rpcIn, lookup
    /// Keys and record text.
    case key, record
    /// Notices such as PAUSED and "terminal too small".
    case warning
    /// The help overlay.
    case help

    /// Attributes used when colors are off (`NO_COLOR`, `noColor`, monochrome terminals).
    public var monochrome: CellAttributes {
        switch self {
        // The focused pane's title in reverse video, stronger than any other title; bars keep
        // their glyphs visible (a block in reverse video would draw as a blank).
        case .titleFocused: return [.bold, .reverse]
        case .header, .bad, .promptError, .warning: return [.bold]
        case .selection: return [.reverse]
        case .dim, .barEmpty, .border: return [.dim]
        case .questionable: return [.underline]
        default: return []
        }
    }
}

/// Text attributes of a cell. A value type; thread-safe.
public struct CellAttributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let bold = CellAttributes(rawValue: 1)
    public static let reverse = CellAttributes(rawValue: 2)
    public static let underline = CellAttributes(rawValue: 4)
    public static let dim = CellAttributes(rawValue: 8)
}
