/// The editable line of the `:` prompt with a cursor and a bounded history.
///
/// Keys: Left/Right, Home/End and Ctrl-A/E move; Backspace/Delete erase; Ctrl-U erases to the
/// start, Ctrl-W the word before the cursor, Ctrl-K to the end; Up/Down walk the history.
/// A value type owned by `PromptState` on the UI thread.
public struct PromptBuffer: Sendable, Hashable {
    public private(set) var text: [Character] = []
    /// Cursor position, 0...text.count.
    public private(set) var cursor = 0
    /// Submitted lines, oldest first, at most `historyLimit`.
    public private(set) var history: [String] = []
    public var historyLimit = 100
    /// Index into `history` while walking it; nil when editing a new line.
    private var historyIndex: Int?
    /// The unsent line kept while walking the history.
    private var draft: [Character] = []

    public init() {}

    /// The line as a string.
    public var line: String { String(text) }

    /// Replaces the line and puts the cursor at its end.
    public mutating func set(_ s: String) {
        text = Array(s)
        cursor = text.count
    }

    /// Inserts a character at the cursor.
    public mutating func insert(_ ch: Character) {
        text.insert(ch, at: cursor)
        cursor += 1
    }

    /// Applies one editing key; returns false for keys it does not handle.
    @discardableResult
    public mutating func edit(_ key: KeyPress) -> Bool {
        switch key {
        case .char(let ch): insert(ch)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(text.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = text.count
        case .backspace, .ctrl("h"):
            if cursor > 0 {
                text.remove(at: cursor - 1)
                cursor -= 1
            }
        case .delete, .ctrl("d"):
            if cursor < text.count { text.remove(at: cursor) }
        case .ctrl("u"):
            text.removeSubrange(0..<cursor)
            cursor = 0
        case .ctrl("k"):
            text.removeSubrange(cursor..<text.count)
        case .ctrl("w"):
            var start = cursor
            while start > 0, text[start - 1] == " " { start -= 1 }
            while start > 0, text[start - 1] != " " { start -= 1 }
            text.removeSubrange(start..<cursor)
            cursor = start
        case .up: recall(older: true)
        case .down: recall(older: false)
        default: return false
        }
        return true
    }

    /// Returns the line, records it in the history (no repeats in a row) and clears the buffer.
    public mutating func submit() -> String {
        let s = line
        if !s.trimmingSpaces.isEmpty, history.last != s {
            history.append(s)
            if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        }
        clear()
        return s
    }

    /// Empties the line and leaves the history walk.
    public mutating func clear() {
        text = []
        cursor = 0
        historyIndex = nil
        draft = []
    }

    private mutating func recall(older: Bool) {
        guard !history.isEmpty else { return }
        if older {
            if historyIndex == nil {
                draft = text
                historyIndex = history.count
            }
            historyIndex = max(0, historyIndex! - 1)
            set(history[historyIndex!])
        } else {
            guard let i = historyIndex else { return }
            if i + 1 >= history.count {
                historyIndex = nil
                text = draft
                cursor = text.count
            } else {
                historyIndex = i + 1
                set(history[i + 1])
            }
        }
    }
}

extension String {
    /// The string without leading and trailing spaces (no Foundation).
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
