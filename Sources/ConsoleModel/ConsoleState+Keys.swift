extension ConsoleState {
    /// Handles one key: the prompt editor when it is open, the help overlay, else pane keys.
    mutating func handleKey(_ key: KeyPress) -> ConsoleIntent {
        if key == .ctrl("c") { return .quit }
        prompt.warning = nil
        if case .paste(let text) = key { return paste(text) }
        if prompt.isEditing { return promptKey(key) }
        if showHelp { return helpKey(key) }
        if page != nil { return pageKey(key) }
        if let intent = screenKey(key) { return intent }  // F-keys and the mouse: ConsoleState+Screen
        switch key {
        case .char("q"): return .quit
        case .char("?"): openHelp()
        case .char(":"), .char("6"): openPrompt(.command)
        case .char("/"): return beginFilter()
        case .char("!"): return invertFilter()
        case .char("L"): return openResultsLog()
        case .char(" "):
            if paused { resume() } else { paused = true }
        case .char("r") where focus == .record || focus == .keys:
            record.showRaw.toggle()
            prompt.say(record.showRaw ? "record pane: raw value" : "record pane: decoded record", .info)
        case .char("s"): return cycleSort()
        case .char("S"): return reverseSort()
        case .char(let c) where ("1"..."5").contains(c):
            focus = PaneID(rawValue: Int(String(c))!)!
        case .char("["), .char("]"):
            let known = knownLayers
            guard let i = known.firstIndex(of: layer) ?? known.first.map({ _ in 0 }) else { return .none }
            layer = known[(i + (key == .char("]") ? 1 : known.count - 1)) % known.count]
            buckets.openRow = nil
            clampSelections()
        case .tab: focus = nextFocus(forward: true)
        case .backTab: focus = nextFocus(forward: false)
        case .up, .char("k"): move(-1)
        case .down, .char("j"): move(1)
        case .pageUp: move(-10)
        case .pageDown: move(10)
        case .home, .char("g"): return goToTop()
        case .end, .char("G"): return followTail()
        case .enter: return openSelection()
        case .escape: back()
        default: return .none
        }
        return .redraw
    }

    /// While the help is open: scroll keys scroll it when it is taller than the screen; any
    /// other key closes it.
    mutating func helpKey(_ key: KeyPress) -> ConsoleIntent {
        let area = helpArea
        let most = HelpText.maxScroll(width: area.width, height: area.height)
        let delta: Int?
        switch key {
        case .up, .char("k"): delta = -1
        case .down, .char("j"): delta = 1
        case .pageUp: delta = -max(1, area.height - 1)
        case .pageDown: delta = max(1, area.height - 1)
        case .home, .char("g"): delta = -most
        case .end, .char("G"): delta = most
        case .wheel(_, let rows): delta = rows
        default: delta = nil
        }
        guard let delta, most > 0 else {
            showHelp = false
            helpScroll = 0
            return .redraw
        }
        helpScroll = min(most, max(0, helpScroll + delta))
        return .redraw
    }

    // MARK: Actions (each key that does one of these calls it: the letter and its F-key)

    /// `?` and F1: the help page, from its top.
    mutating func openHelp() {
        showHelp = true
        helpScroll = 0
    }

    func nextFocus(forward: Bool) -> PaneID {
        var p = focus.cycled(forward: forward)
        if p == .prompt { p = p.cycled(forward: forward) }
        return p
    }

    mutating func openPrompt(_ mode: PromptState.Mode) {
        prompt.mode = mode
        prompt.buffer.clear()
        prompt.completions = []
    }

    /// Moves the focused pane's selection or scroll by `delta` rows.
    mutating func move(_ delta: Int) {
        func clamp(_ v: Int, _ count: Int) -> Int { count == 0 ? 0 : min(max(0, v), count - 1) }
        switch focus {
        case .buckets:
            if let open = buckets.openRow {
                let n = buckets.contactRows(buckets.rows(layer: layer)[open].bucket).count
                buckets.contactSelection = clamp(buckets.contactSelection + delta, n)
            } else {
                buckets.selection = clamp(buckets.selection + delta, buckets.rows(layer: layer).count)
            }
        case .inFlight: inFlight.selection = clamp(inFlight.selection + delta, inFlight.shownCount(now: now))
        case .keys:
            keys.selection = clamp(keys.selection + delta, keys.rows(layer: layer).count)
            record.source = .selectedKey
            record.scroll = 0
        case .record: record.scroll = max(0, record.scroll + delta)
        case .events: events.scroll = min(max(0, events.scroll - delta), events.maxScroll(rows: paneRows[.events] ?? 1))
        case .prompt: break
        }
    }

    /// Enter: open a bucket's contacts, or show the selected key's record.
    mutating func open() {
        switch focus {
        case .buckets:
            let rows = buckets.rows(layer: layer)
            guard !rows.isEmpty else { return }
            buckets.pinnedBucket = rows[min(buckets.selection, rows.count - 1)].index
            buckets.openRow = buckets.selection
            buckets.contactSelection = 0
        case .keys:
            record.source = .selectedKey
            record.scroll = 0
            focus = .record
        default: break
        }
    }

    /// Esc: back to the live tail of a scrolled Events pane, or close what Enter opened, or
    /// clear the focused pane's filter, or leave the record's command output.
    mutating func back() {
        if focus == .events, events.scroll > 0 {
            events.scroll = 0
            return
        }
        if focus == .buckets, buckets.openRow != nil {
            buckets.openRow = nil
            return
        }
        if focus != .prompt, !paneFilter(focus).isEmpty {
            setPaneFilter(PaneFilter(), pane: focus)
            return
        }
        if focus == .record, case .commandOutput = record.source {
            record.source = .selectedKey
            return
        }
        if paused { resume() }
    }

    /// Keys while the bottom line is being edited.
    mutating func promptKey(_ key: KeyPress) -> ConsoleIntent {
        prompt.notice = nil
        switch key {
        case .escape:
            // The line is not lost: Up at the next prompt brings it back.
            if prompt.mode == .command, prompt.buffer.stash() { prompt.say("prompt closed; : then ↑ brings the line back", .info) }
            prompt.mode = .idle
            prompt.buffer.clear()
            prompt.completions = []
            return .redraw
        case .enter:
            let mode = prompt.mode
            let line = prompt.buffer.submit()
            prompt.mode = .idle
            prompt.completions = []
            if case .filter = mode { return .redraw }
            return submit(line)
        case .tab:
            let completer = self.completer
            if let done = completer.complete(prompt.buffer.line) { prompt.buffer.set(done) }
            let c = completer.candidates(for: prompt.buffer.line)
            prompt.completions = c.count > 1 ? c : []
            return .redraw
        default:
            guard prompt.buffer.edit(key) else { return .none }
            if case .filter(let pane) = prompt.mode { setFilter(prompt.buffer.line, pane: pane) }
            return .redraw
        }
    }

    mutating func setFilter(_ text: String, pane: PaneID) {
        setPaneFilter(PaneFilter(typed: text), pane: pane)
    }

    /// Parses a submitted command line and turns it into an intent.
    mutating func submit(_ line: String) -> ConsoleIntent {
        guard !line.trimmingSpaces.isEmpty else { return .redraw }
        // Read-only says so before any complaint about the value.
        if options.readOnly, let verb = line.split(separator: " ").first?.lowercased(), ["set", "delete", "del"].contains(verb) {
            prompt.say("read-only mode: set and delete are disabled", .error)
            return .redraw
        }
        switch CommandParser.parse(line) {
        case .failure(let f):
            prompt.say(f.message, .error)
            results.add(command: line.trimmingSpaces, succeeded: false, summary: f.message, at: now)
            return .redraw
        case .success(let command):
            return run(command, echo: line.trimmingSpaces)
        }
    }

    /// Runs a parsed command: local ones here, network ones as an intent.
    public mutating func run(_ command: PromptCommand, echo: String) -> ConsoleIntent {
        if command.writes && options.readOnly {
            prompt.say("read-only mode: set and delete are disabled", .error)
            return .redraw
        }
        switch command {
        case .quit: return .quit
        case .help:
            showHelp = true
            helpScroll = 0
            return .redraw
        case .layer(let n):
            layer = n
            buckets.openRow = nil
            clampSelections()
            prompt.say(knownLayers.contains(n) ? "showing layer \(n)" : "layer \(n) is not active on this node", .info)
            return .redraw
        case .filter(let text):
            let pane: PaneID = focus == .prompt ? .events : focus
            setFilter(text, pane: pane)
            prompt.say(text.isEmpty ? "filter cleared" : "\(pane.title) filtered by '\(text)'", .info)
            return .redraw
        case .theme(let name):
            return .switchTheme(name)
        case .node(let command):
            return runNode(command, layer: layer, echo: echo)
        case .nodeOn(let command, let layer):
            return runNode(command, layer: layer, echo: echo)
        }
    }

    /// A node command as an intent, on `layer`; refused while another one runs.
    mutating func runNode(_ command: NodeCommand, layer: Int, echo: String) -> ConsoleIntent {
        if let busy = prompt.running {
            prompt.say("'\(busy)' is still running; wait for it to finish", .error)
            return .redraw
        }
        prompt.running = Sanitizer.clean(echo)
        prompt.progress = nil
        prompt.say("running \(echo)…", .info)
        return .runCommand(command, layer: layer)
    }
}
