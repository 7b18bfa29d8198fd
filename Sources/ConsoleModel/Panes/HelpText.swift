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
        Binding(keys: "F1 ?", action: "this help"),
        Binding(keys: "Tab S-Tab 1-5", action: "focus pane"),
        Binding(keys: ": or 6", action: "command prompt"),
        Binding(keys: "↑↓ j/k PgUp/Dn", action: "move"),
        Binding(keys: "g/G Home/End", action: "top / end, live tail"),
        // A contact's or a lookup's page lists its own keys (p ping, f find) on its last line.
        Binding(keys: "Enter", action: "open row, its details"),
        Binding(keys: "Esc", action: "back, live, unfilter"),
        Binding(keys: "F3 / !", action: "filter, invert filter"),
        Binding(keys: "F6 s S", action: "sort column, reverse"),
        Binding(keys: "L", action: "results log, w saves"),
        Binding(keys: "r", action: "raw or decoded record"),
        Binding(keys: "Space", action: "pause / resume"),
        Binding(keys: "[ ]", action: "previous / next layer"),
        Binding(keys: "click", action: "focus pane, select row"),
        Binding(keys: "click again", action: "open, as Enter"),
        Binding(keys: "wheel", action: "scroll the pane"),
        Binding(keys: "Shift+drag", action: "select text to copy"),
        Binding(keys: "F10 q Ctrl-C", action: "quit")
    ]

    /// What each column and header field means, per pane, in the order the panes are numbered.
    /// The renderers' column titles (first title of each) are the `column` names here.
    public static let legend: [(section: String, entries: [Binding])] = [
        (
            "Header",
            [
                Binding(keys: "contacts", action: "live contacts of this layer: good, stale (questionable), bad"),
                Binding(keys: "calls in/out", action: "RPCs peers made to us / we made, per second (sparkline: last seconds)"),
                Binding(keys: "timeouts", action: "share of our calls that timed out in the last minute"),
                Binding(keys: "~N nodes", action: "network size estimated from lookups, with its 95% range"),
                Binding(keys: "reachable", action: "a peer has called us on its own (others can reach us)"),
                Binding(keys: "last crawl", action: "the last `crawl`: nodes found, size estimate (range), when")
            ]
        ),
        (
            "1 K-buckets",
            [
                Binding(keys: "#", action: "bucket number in the routing table (Events say \"bucket N\")"),
                Binding(keys: "prefix", action: "the leading id bits all its contacts share (pfx when narrow)"),
                Binding(keys: "range", action: "lowest and highest id the bucket covers"),
                Binding(keys: "fill n/k", action: "contacts held of k, the bucket size"),
                Binding(keys: "rc", action: "replacement cache: contacts waiting for a free slot"),
                Binding(keys: "oldest", action: "since its least recently seen contact was seen"),
                Binding(keys: "chg", action: "since the bucket last changed"),
                Binding(keys: "id address", action: "an open bucket's contacts: node id, IP:port"),
                Binding(keys: "rtt seen reply", action: "round-trip time; since last seen; since last answer"),
                Binding(keys: "fail health", action: "failed calls in a row; good, questionable or bad")
            ]
        ),
        (
            "2 In flight",
            [
                Binding(keys: "kind", action: "rpc: a call we sent; lkp: a lookup"),
                Binding(keys: "call", action: "the RPC method, or what the lookup is for"),
                Binding(keys: "peer / target", action: "the address called, or the id looked up"),
                Binding(
                    keys: "status",
                    action: "pending: time used of the timeout; lookup: its round; finished: ok, timeout, "
                        + "error, converged (the k closest answered), valueFound, exhausted (asked everyone, fewer than k "
                        + "answered), joined / done (a join / refresh that asked everyone and was answered); when narrow: done "
                        + "(converged), found, partial (exhausted), alone (no contacts), error"),
                Binding(keys: "time", action: "elapsed, or how long it took"),
                Binding(keys: "detail", action: "lookups: calls asking (f), answered (a), timeouts (t), prefix bits shared (cp)")
            ]
        ),
        (
            "3 Stored keys",
            [
                Binding(keys: "key", action: "the DHT key (40 hex digits)"),
                Binding(keys: "type", action: "the BitDust record type its value declares"),
                Binding(keys: "owner / bitdust key", action: "whose record it is, or BitDust's own key"),
                Binding(keys: "rev", action: "the record's revision"),
                Binding(keys: "ok", action: "ok: valid by BitDust's rules; BAD: not"),
                Binding(keys: "fresh", action: "age of the record's own timestamp"),
                Binding(keys: "size pub", action: "value size; the publisher's id"),
                Binding(keys: "age expires", action: "since first published; until it expires here")
            ]
        )
    ]

    /// The prompt's editing keys, one line.
    public static let promptKeys = "Prompt: ↑↓ history, ←→ Ctrl-A/E/U/W/K Alt-B/F/D edit, Tab completes"

    /// Section titles; the renderer draws them as rules.
    public static let keysTitle = "dhtop keys"
    public static let commandsTitle = "Commands"
    public static let columnsTitle = "Columns"

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
        for (section, entries) in legend {
            out.append(.rule(columnsTitle + ": " + section))
            let nameWidth = min(entries.map(\.keys.count).max() ?? 0, 16)
            for e in entries { out += pair(e.keys, e.action, keyWidth: nameWidth, width: width).map { .text(trimmed($0)) } }
        }
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
