/// The `?` help page: the key table and the prompt commands, laid out for a given inner width,
/// and how far it scrolls in a given height. Pure; reads no clock.
///
/// Every line fits the width it was laid out for (nothing is cut): entries that do not fit on
/// one line continue on the next, indented.
public enum HelpText {
    /// One key binding as the help shows it.
    public struct Binding: Sendable, Hashable {
        public var keys: String
        public var action: String
    }

    /// The keys `ConsoleState.handleKey` understands, in the order the help lists them.
    public static let bindings: [Binding] = [
        Binding(keys: "Tab S-Tab 1-5", action: "focus pane"),
        Binding(keys: ": or 6", action: "command prompt"),
        Binding(keys: "↑↓ j/k PgUp/Dn", action: "move"),
        Binding(keys: "g/G Home/End", action: "first / last"),
        Binding(keys: "Enter", action: "open bucket / record"),
        Binding(keys: "Esc", action: "back, clear filter"),
        Binding(keys: "/", action: "filter keys or events"),
        Binding(keys: "s", action: "sort keys"),
        Binding(keys: "r", action: "raw or decoded record"),
        Binding(keys: "Space", action: "pause / resume"),
        Binding(keys: "[ ]", action: "previous / next layer"),
        Binding(keys: "?", action: "this help"),
        Binding(keys: "q  Ctrl-C", action: "quit")
    ]

    /// The prompt's editing keys, one line.
    public static let promptKeys = "Prompt: ↑↓ history, ←→ Ctrl-A/E/U/W/K Alt-B/F/D edit, Tab completes"

    /// Section titles; the renderer draws them as rules.
    public static let keysTitle = "dhtop keys"
    public static let commandsTitle = "Commands"

    /// One line of the laid-out page.
    public enum Line: Sendable, Hashable {
        /// Plain text (at most the layout width).
        case text(String)
        /// A section rule with a title.
        case rule(String)
    }

    /// The commands as (syntax, description), split from `PromptCommand.usage` at the first
    /// run of two or more spaces.
    public static var commands: [(syntax: String, text: String)] {
        PromptCommand.usage.map { line in
            let chars = Array(line)
            var i = 0
            while i + 1 < chars.count, !(chars[i] == " " && chars[i + 1] == " ") { i += 1 }
            guard i + 1 < chars.count else { return (line, "") }
            let syntax = String(chars[..<i])
            let text = String(chars[i...]).drop { $0 == " " }
            return (syntax, String(text))
        }
    }

    /// The page for an inner width of `width` columns. The key table goes in two columns when
    /// both fit, else one; the page title is the caller's to draw (the top edge).
    public static func lines(width: Int) -> [Line] {
        let width = max(1, width)
        var out: [Line] = []
        let keyWidth = bindings.map(\.keys.count).max() ?? 0
        let entryWidth = keyWidth + 2 + (bindings.map(\.action.count).max() ?? 0)
        let entries = bindings.map { pair($0.keys, $0.action, keyWidth: keyWidth, width: width) }
        if 2 * entryWidth + 2 <= width {
            let half = (entries.count + 1) / 2
            for i in 0..<half {
                let left = entries[i][0]
                let right = i + half < entries.count ? entries[i + half][0] : ""
                let line = right.isEmpty ? left : left + String(repeating: " ", count: entryWidth + 2 - left.count) + right
                out.append(.text(trimmed(line)))
            }
        } else {
            for e in entries { out += e.map { .text(trimmed($0)) } }
        }
        out += wrap(promptKeys, width: width, indent: 2).map { .text($0) }
        out.append(.rule(commandsTitle))
        let cmds = commands
        // The usual syntaxes share a column; the few longer ones push their description right.
        let syntaxWidth = min(cmds.map(\.syntax.count).max() ?? 0, 24)
        for c in cmds { out += pair(c.syntax, c.text, keyWidth: syntaxWidth, width: width).map { .text(trimmed($0)) } }
        return out
    }

    /// How many lines the page scrolls by at most in an inner box of `width`×`height`.
    public static func maxScroll(width: Int, height: Int) -> Int {
        max(0, lines(width: width).count - max(1, height))
    }

    /// `key` then `text` in a column `keyWidth` wide, on one line when it fits, else `text`
    /// on the following lines, indented by 4.
    static func pair(_ key: String, _ text: String, keyWidth: Int, width: Int) -> [String] {
        let one = key + String(repeating: " ", count: max(0, keyWidth - key.count) + 2) + text
        if one.count <= width { return [one] }
        return wrap(key, width: width, indent: 2) + wrap(text, width: max(1, width - 4), indent: 2).map { "    " + $0 }
    }

    /// `text` broken at spaces into lines of at most `width` columns; continuation lines are
    /// indented by `indent`; a word longer than a line is split.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        let width = max(1, width)
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let lead = lines.isEmpty ? "" : String(repeating: " ", count: min(indent, width - 1))
            let candidate = current.isEmpty ? lead + word : current + " " + word
            if candidate.count <= width {
                current = candidate
                continue
            }
            if !current.isEmpty { lines.append(current) }
            var rest = Substring((lines.isEmpty ? "" : String(repeating: " ", count: min(indent, width - 1))) + word)
            while rest.count > width {
                lines.append(String(rest.prefix(width)))
                rest = rest.dropFirst(width)
            }
            current = String(rest)
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
