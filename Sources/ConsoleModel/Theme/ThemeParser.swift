/// Reads a TOML theme file: a `[palette]` of named colors, then a `[roles]` table giving every
/// `ThemeRole` `{ fg = …, bg = …, bold/reverse/underline/dim = true }`. A color is a palette
/// name, a basic color name (`red`, `bright-red`, `default`) or a 256-color index.
///
/// Errors name the file, the line (when it can be found) and the key. Pure and thread-safe.
public enum ThemeParser {
    /// A theme that cannot be used; `description` is `file:line: key: what is wrong`.
    public struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int?
        public var key: String
        public var message: String
        public var description: String {
            "\(file)\(line.map { ":\($0)" } ?? ""): \(key.isEmpty ? "" : key + ": ")\(message)"
        }
    }

    static let basicNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]
    static let attributeNames: [String: CellAttributes] = [
        "bold": .bold, "reverse": .reverse, "underline": .underline, "dim": .dim
    ]

    /// Parses `text`, naming `file` in errors; the theme's name is the `name` key or `fallbackName`.
    public static func parse(_ text: String, file: String, fallbackName: String) throws(Failure) -> Theme {
        let table: ThemeTOML.Table
        do {
            table = try ThemeTOML.parse(text)
        } catch {
            throw Failure(file: file, line: error.line, key: "", message: "TOML syntax: \(error.message)")
        }
        func fail(_ key: String, _ message: String) -> Failure {
            Failure(file: file, line: line(of: key, in: text), key: key, message: message)
        }
        for top in table.keys where !["name", "description", "palette", "roles"].contains(top) {
            throw fail(top, "unknown section (expected name, description, palette, roles)")
        }
        var palette: [String: Int?] = [:]
        if let p = table["palette"] {
            guard let pt = p.table else { throw fail("palette", "must be a table") }
            for name in pt.keys {
                palette[name] = try color(pt[name]!, palette: [:], key: "palette.\(name)", fail: fail)
            }
        }
        guard let roles = table["roles"]?.table else { throw fail("roles", "missing [roles] table") }
        var styles: [ThemeRole: Theme.Style] = [:]
        for name in roles.keys {
            guard let role = ThemeRole(rawValue: name) else {
                throw fail("roles.\(name)", "unknown role (known: \(ThemeRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard let spec = roles[name]!.table else { throw fail("roles.\(name)", "must be a table like { fg = \"red\" }") }
            var style = Theme.Style()
            for field in spec.keys {
                let key = "roles.\(name).\(field)"
                switch field {
                case "fg": style.foreground = try color(spec[field]!, palette: palette, key: key, fail: fail)
                case "bg": style.background = try color(spec[field]!, palette: palette, key: key, fail: fail)
                default:
                    guard let attr = attributeNames[field] else {
                        throw fail(key, "unknown field (expected fg, bg, bold, reverse, underline, dim)")
                    }
                    guard let on = spec[field]!.bool else { throw fail(key, "must be true or false") }
                    if on { style.attributes.insert(attr) }
                }
            }
            styles[role] = style
        }
        let missing = ThemeRole.allCases.filter { styles[$0] == nil }.map(\.rawValue)
        if !missing.isEmpty { throw fail("roles", "missing roles: \(missing.joined(separator: ", "))") }
        let name = table["name"]?.string ?? fallbackName
        return Theme(name: name, styles: styles)
    }

    /// A color value: nil means the terminal default.
    static func color(
        _ v: ThemeTOML.Value, palette: [String: Int?], key: String,
        fail: (String, String) -> Failure
    ) throws(Failure) -> Int? {
        if let i = v.int {
            guard (0...255).contains(i) else { throw fail(key, "color index \(i) is outside 0...255") }
            return i
        }
        guard let s = v.string else { throw fail(key, "a color must be a name or a number 0...255") }
        if s == "default" { return nil }
        if let p = palette[s] { return p }
        if let i = basicNames.firstIndex(of: s) { return i }
        if s.hasPrefix("bright-"), let i = basicNames.firstIndex(of: String(s.dropFirst(7))) { return i + 8 }
        throw fail(key, "unknown color '\(s)' (not in [palette], not a basic color name)")
    }

    /// The 1-based line where the last component of `key` is first assigned, if found.
    static func line(of key: String, in text: String) -> Int? {
        let parts = key.split(separator: ".").map(String.init)
        guard let last = parts.last else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Prefer a line that mentions the role and the field together (inline tables).
        let role = parts.count >= 2 ? parts[1] : last
        for (i, l) in lines.enumerated() {
            let t = l.drop { $0 == " " }
            if t.hasPrefix(role + " ") || t.hasPrefix(role + "=") || t == "[\(key)]" || t.hasPrefix("[\(last)]") {
                if parts.count < 3 || l.contains(parts[2]) { return i + 1 }
            }
        }
        for (i, l) in lines.enumerated() where l.contains(last) { return i + 1 }
        return nil
    }
}
