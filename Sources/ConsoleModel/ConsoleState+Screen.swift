extension ConsoleState {
    /// Function keys and the mouse, outside the prompt and the help: each goes to the named
    /// action its letter key uses (F1 `openHelp`, F3 `beginFilter`, F6 `cycleSort`, F10 quit);
    /// a click focuses a pane and selects the row under the pointer (a click on the selected
    /// row opens it, as Enter does); the wheel moves the pane under the pointer. Nil for every
    /// other key.
    mutating func screenKey(_ key: KeyPress) -> ConsoleIntent? {
        switch key {
        case .function(1): openHelp()
        case .function(3): return beginFilter()
        case .function(6): return cycleSort()
        case .function(10): return .quit
        case .function: return ConsoleIntent.none
        case .click(let pane, let item): click(pane, item: item)
        case .wheel(let pane, let rows):
            guard pane != .prompt else { return ConsoleIntent.none }
            focus = pane
            move(rows)
        default: return nil
        }
        return .redraw
    }

    /// Focuses `pane` and selects its row `item`; the selected row again opens it, as Enter does
    /// (whatever Enter does in that pane).
    mutating func click(_ pane: PaneID, item: Int?) {
        guard pane != .prompt else { return }
        let wasFocused = focus == pane
        focus = pane
        guard let item, item >= 0 else { return }
        let selected: Int? =
            switch pane {
            case .buckets: buckets.openRow != nil ? buckets.contactSelection : buckets.selection
            case .inFlight: inFlight.selection
            case .keys: keys.selection
            case .record, .events, .prompt: nil
            }
        if wasFocused, selected == item {
            open()
        } else {
            switch pane {
            case .buckets:
                if buckets.openRow != nil { buckets.contactSelection = item } else { buckets.selection = item }
            case .inFlight: inFlight.selection = item
            case .keys:
                keys.selection = item
                record.source = .selectedKey
                record.scroll = 0
            case .record, .events, .prompt: break
            }
        }
        clampSelections()
    }
}
