/// A color theme: for every `ThemeRole` a foreground, a background and attributes.
///
/// Colors are xterm 256-color indices (0–7 the basic colors, 8–15 the bright ones) or nil for
/// the terminal's default; `eightColor(_:)` maps them for 8-color terminals. A value type;
/// thread-safe.
public struct Theme: Sendable, Hashable {
    /// How one role looks.
    public struct Style: Sendable, Hashable {
        public var foreground: Int?
        public var background: Int?
        public var attributes: CellAttributes
        public init(foreground: Int? = nil, background: Int? = nil, attributes: CellAttributes = []) {
            self.foreground = foreground
            self.background = background
            self.attributes = attributes
        }
    }

    public var name: String
    public var styles: [ThemeRole: Style]

    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        self.styles = styles
    }

    public func style(_ role: ThemeRole) -> Style { styles[role] ?? Style() }

    /// The nearest of the 8 basic colors for a 256-color index (bright colors lose brightness,
    /// the cube and the grays are matched by channel).
    public static func eightColor(_ index: Int) -> Int {
        switch index {
        case 0..<8: return index
        case 8..<16: return index - 8
        case 16..<232:
            let v = index - 16
            let r = v / 36, g = v / 6 % 6, b = v % 6
            let bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
            if bits == 0, max(r, g, b) >= 2 {  // dim colors: keep the strongest channel
                let m = max(r, g, b)
                return (r == m ? 1 : 0) | (g == m ? 2 : 0) | (b == m ? 4 : 0)
            }
            return bits
        default:
            return index - 232 < 12 ? 0 : 7
        }
    }

    /// The compiled-in dark theme, used when no theme file is given or one fails to load.
    public static let builtInDark: Theme = {
        var s: [ThemeRole: Style] = [:]
        s[.normal] = Style(foreground: 252)
        s[.dim] = Style(foreground: 244)
        s[.border] = Style(foreground: 240)
        s[.title] = Style(foreground: 110)
        s[.titleFocused] = Style(foreground: 16, background: 39, attributes: [.bold])
        s[.header] = Style(foreground: 110)
        s[.headerValue] = Style(foreground: 231, attributes: [.bold])
        s[.good] = Style(foreground: 114)
        s[.questionable] = Style(foreground: 221)
        s[.bad] = Style(foreground: 203, attributes: [.bold])
        s[.selection] = Style(foreground: 231, background: 24)
        s[.prompt] = Style(foreground: 231)
        s[.promptError] = Style(foreground: 203, attributes: [.bold])
        s[.promptSuccess] = Style(foreground: 114)
        s[.barFull] = Style(foreground: 39)
        s[.barEmpty] = Style(foreground: 238)
        s[.rpcOut] = Style(foreground: 75)
        s[.rpcIn] = Style(foreground: 176)
        s[.lookup] = Style(foreground: 80)
        s[.key] = Style(foreground: 180)
        s[.record] = Style(foreground: 252)
        s[.warning] = Style(foreground: 16, background: 221, attributes: [.bold])
        s[.help] = Style(foreground: 231, background: 236)
        return Theme(name: "dark", styles: s)
    }()
}
