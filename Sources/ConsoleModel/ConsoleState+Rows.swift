import DHTCore
import DHTWire
import NodeAPI

/// The table actions every pane shares — filter, invert, sort, top, live tail — and the pages
/// Enter and `L` open, as named functions that keys (and the F-keys: F3 search = `beginFilter`,
/// F6 sort = `cycleSort`) call. Each returns what the loop must do. UI thread only.
extension ConsoleState {
    /// `/`: types a filter for the focused pane (`!text` filters out). The prompt pane has none.
    public mutating func beginFilter() -> ConsoleIntent {
        let pane = focus == .prompt ? PaneID.events : focus
        focus = pane
        openPrompt(.filter(pane))
        prompt.buffer.set(paneFilter(pane).typed)
        return .redraw
    }

    /// `!`: inverts the focused pane's filter (shows what does not match).
    public mutating func invertFilter() -> ConsoleIntent {
        var f = paneFilter(focus)
        guard !f.isEmpty else {
            prompt.say("\(focus.title): no filter to invert; / types one (!text filters out)", .info)
            return .redraw
        }
        f.inverted.toggle()
        setPaneFilter(f, pane: focus)
        prompt.say("\(focus.title): \(f.inverted ? "hiding" : "showing") rows with '\(f.text)'", .info)
        return .redraw
    }

    /// `s`: sorts the focused table by its next column.
    public mutating func cycleSort() -> ConsoleIntent {
        switch focus {
        case .buckets: buckets.contactSort.cycle()
        case .inFlight: inFlight.sort.cycle()
        case .keys:
            keys.sort = keys.sort.next
            keys.sortReversed = false
        default:
            prompt.say("\(focus.title) is not a table; s sorts K-buckets contacts, In flight and Stored keys", .info)
            return .redraw
        }
        prompt.say("\(focus.title) sorted by \(sortLabel(focus) ?? "")", .info)
        return .redraw
    }

    /// `S`: reverses the focused table's order.
    public mutating func reverseSort() -> ConsoleIntent {
        switch focus {
        case .buckets: buckets.contactSort.reversed.toggle()
        case .inFlight: inFlight.sort.reversed.toggle()
        case .keys: keys.sortReversed.toggle()
        default: return cycleSort()
        }
        prompt.say("\(focus.title) sorted by \(sortLabel(focus) ?? "")", .info)
        return .redraw
    }

    /// The focused table's sort as titles show it (`rtt rev`); nil for panes without one.
    public func sortLabel(_ pane: PaneID) -> String? {
        switch pane {
        case .buckets: return buckets.contactSort.label
        case .inFlight: return inFlight.sort.label
        case .keys: return keys.sort.rawValue + (keys.sortReversed ? " rev" : "")
        default: return nil
        }
    }

    /// Home/`g`: the first row (Events: the oldest line kept).
    public mutating func goToTop() -> ConsoleIntent {
        if focus == .events {
            events.scroll = events.maxScroll(rows: paneRows[.events] ?? 1)
        } else {
            move(-1_000_000)
        }
        return .redraw
    }

    /// End/`G`: the last row (Events: follow the live tail again).
    public mutating func followTail() -> ConsoleIntent {
        if focus == .events { events.scroll = 0 } else { move(1_000_000) }
        return .redraw
    }

    /// Enter: opens what the selection is — a bucket's contacts, a contact's page (also from
    /// an RPC to it in In flight), a lookup's trace, a key's record.
    public mutating func openSelection() -> ConsoleIntent {
        switch focus {
        case .buckets where buckets.openRow != nil:
            guard let (_, c) = buckets.selectedContact(layer: layer) else { return .none }
            showPage(.contact(layer: layer, id: c.id))
        case .inFlight:
            switch inFlight.selectedRow(now: now) {
            case .lookup(let s): showPage(.lookup(s.id))
            case .finished(let f) where f.lookup != nil: showPage(.lookup(f.lookup!.id))
            case .finished(let f):
                // An RPC: the page of the contact it went to, when the table holds one there.
                guard let c = contact(at: f.subject, layer: f.layer) else { return .none }
                showPage(.contact(layer: f.layer, id: c.id))
            case .rpc(let r):
                guard let c = contact(at: r.peer.description, layer: r.layer) else { return .none }
                showPage(.contact(layer: r.layer, id: c.id))
            case nil: return .none
            }
        default: open()
        }
        return .redraw
    }

    /// The contact at `address` (`HOST:PORT`) in `layer`'s table, if any.
    func contact(at address: String, layer: Int) -> Contact? {
        (buckets.layers[layer] ?? []).lazy.flatMap(\.contacts).first { $0.endpoint.description == address }
    }

    /// `L`: the results log page, scrolled to its end.
    public mutating func openResultsLog() -> ConsoleIntent {
        showPage(.resultsLog)
        pageScroll = Int.max / 2
        return .redraw
    }

    mutating func showPage(_ p: DetailPage) {
        page = p
        pageScroll = 0
    }

    /// Keys while a page is open: scrolling, its actions, Esc or q to close.
    mutating func pageKey(_ key: KeyPress) -> ConsoleIntent {
        let rows = max(1, height - 3)
        switch key {
        case .escape, .char("q"), .enter:
            page = nil
            pageScroll = 0
        case .up, .char("k"): pageScroll = max(0, min(pageScroll, pageMaxScroll) - 1)
        case .down, .char("j"): pageScroll = min(pageMaxScroll, pageScroll + 1)
        case .pageUp: pageScroll = max(0, min(pageScroll, pageMaxScroll) - rows)
        case .pageDown, .char(" "): pageScroll = min(pageMaxScroll, pageScroll + rows)
        case .home, .char("g"): pageScroll = 0
        case .end, .char("G"): pageScroll = pageMaxScroll
        case .char("w") where page == .resultsLog:
            guard !results.isEmpty else {
                prompt.say("the results log is empty", .info)
                return .redraw
            }
            return .saveResultsLog(results.plainText)
        case .char("p"), .char("f"), .char("x"):
            guard case .contact(let l, let id) = page else { return .none }
            guard let (_, c) = knownContact(layer: l, id: id) else {
                prompt.say("that contact is no longer in the table", .error)
                return .redraw
            }
            page = nil
            if key == .char("p") { return run(.node(.ping(c.endpoint)), echo: "ping \(c.endpoint)") }
            if key == .char("x") { return run(.node(.forget(c.id)), echo: "forget \(c.id.hex)") }
            guard let target = try? KeyArgument.findTarget(c.id.hex) else { return .none }
            return run(.node(.find(target)), echo: "find \(c.id.hex)")
        default: return .none
        }
        return .redraw
    }

    /// The last first-line of the open page that still fills the screen.
    public var pageMaxScroll: Int { max(0, (pageContent?.lines.count ?? 0) - max(1, height - 3)) }

    /// The focused pane's filter (the prompt pane shows none).
    public func paneFilter(_ pane: PaneID) -> PaneFilter {
        switch pane {
        case .buckets: return buckets.filter
        case .inFlight: return inFlight.filter
        case .keys: return PaneFilter(text: keys.filter, inverted: keys.filterInverted)
        case .record: return record.filter
        case .events, .prompt: return PaneFilter(text: events.filter, inverted: events.filterInverted)
        }
    }

    /// Sets a pane's filter and brings its selection back to the first row.
    mutating func setPaneFilter(_ f: PaneFilter, pane: PaneID) {
        switch pane {
        case .buckets:
            let before = buckets.rows(layer: layer)
            let open = buckets.openRow.flatMap { before.indices.contains($0) ? before[$0].index : nil }
            buckets.pinnedBucket = open
            buckets.filter = f
            buckets.contactSelection = 0
            if let open {
                buckets.openRow = buckets.rows(layer: layer).firstIndex { $0.index == open }
            } else {
                buckets.selection = 0
            }
            buckets.clampSelection(layer: layer)
        case .inFlight:
            inFlight.filter = f
            inFlight.selection = 0
        case .keys:
            keys.filter = f.text
            keys.filterInverted = f.inverted
            keys.selection = 0
        case .record:
            record.filter = f
            record.scroll = 0
        case .events, .prompt:
            events.filter = f.text
            events.filterInverted = f.inverted
            events.scroll = 0
        }
    }
}

extension EventsPane {
    /// The largest scroll that still fills `rows` rows: the oldest page.
    public func maxScroll(rows: Int) -> Int { max(0, visible.count - max(1, rows)) }
}
