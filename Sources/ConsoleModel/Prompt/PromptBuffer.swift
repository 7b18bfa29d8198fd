/// The editable line of the `:` prompt with a cursor and a bounded history.
///
/// Keys: Left/Right, Home/End and Ctrl-A/E move; Alt-B/Alt-F move a word back/forward;
/// Backspace/Delete erase; Ctrl-U erases to the start, Ctrl-W and Alt-Backspace the word before
/// the cursor, Alt-D the word after it, Ctrl-K to the end; Up/Down walk the history. A line holds
/// at most `lengthLimit` characters (`insert` returns false past it).
/// A value type owned by `PromptState` on the UI thread.
public struct PromptBuffer: Sendable, Hashable {
    /// The longest line, in characters.
    public static let lengthLimit = 64 * 1024
    public private(set) var text: [Character] = []
    /// Cursor position, 0...text.count.
    public private(set) var cursor = 0
    /// Submitted lines, oldest first, at most `historyLimit`.
    public private(set) var history: [String] = []
    public var historyLimit = 500
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

    /// Inserts a character at the cursor; false (nothing inserted) when the line is full.
    @discardableResult
    public mutating func insert(_ ch: Character) -> Bool {
        guard text.count < Self.lengthLimit else { return false }
        text.insert(ch, at: cursor)
        cursor += 1
        return true
    }

    /// Inserts text at the cursor; false (nothing inserted) when it would not fit.
    @discardableResult
    public mutating func insert(_ s: String) -> Bool {
        let chars = Array(s)
        guard text.count + chars.count <= Self.lengthLimit else { return false }
        text.insert(contentsOf: chars, at: cursor)
        cursor += chars.count
        return true
    }

    /// Where the word before the cursor starts (spaces before it skipped).
    private var wordStartBefore: Int {
        var i = cursor
        while i > 0, text[i - 1] == " " { i -= 1 }
        while i > 0, text[i - 1] != " " { i -= 1 }
        return i
    }

    /// Where the word after the cursor ends (spaces before it skipped).
    private var wordEndAfter: Int {
        var i = cursor
        while i < text.count, text[i] == " " { i += 1 }
        while i < text.count, text[i] != " " { i += 1 }
        return i
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
        case .ctrl("w"), .alt("\u{7f}"):
            let start = wordStartBefore
            text.removeSubrange(start..<cursor)
            cursor = start
        case .alt("b"), .alt("B"): cursor = wordStartBefore
        case .alt("f"), .alt("F"): cursor = wordEndAfter
        case .alt("d"), .alt("D"): text.removeSubrange(cursor..<wordEndAfter)
        case .up: recall(older: true)
        case .down: recall(older: false)
        default: return false
        }
        return true
    }

    /// Lines submitted into the history so far (not counting `stash` or `load`), so the console
    /// can save each new one (`history.last`) once.
    public private(set) var submissions = 0

    /// Returns the line, records it in the history (no repeats in a row) and clears the buffer.
    public mutating func submit() -> String {
        let s = line
        if remember(s) { submissions += 1 }
        clear()
        return s
    }

    /// Keeps an abandoned line in the history (not saved) so Up brings it back; false when
    /// there was nothing to keep.
    public mutating func stash() -> Bool { remember(line) }

    /// Puts saved lines (oldest first) before this session's history.
    public mutating func load(_ lines: [String]) {
        history = Array((lines + history).suffix(historyLimit))
    }

    private mutating func remember(_ s: String) -> Bool {
        guard !s.trimmingSpaces.isEmpty, history.last != s else { return false }
        history.append(s)
        if history.count > historyLimit { history.removeFirst(history.count - historyLimit) }
        return true
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
