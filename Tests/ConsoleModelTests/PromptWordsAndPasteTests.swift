import ConsoleModel
import Foundation
import Testing

/// Alt-key word motions, bracketed paste into the prompt, and the history kept across sessions.
@Suite struct PromptWordsAndPasteTests {
    func buffer(_ s: String, cursor: Int? = nil) -> PromptBuffer {
        var b = PromptBuffer()
        b.set(s)
        if let cursor { for _ in cursor..<s.count { b.edit(.left) } }
        return b
    }

    @Test func altBAndAltFMoveByWords() {
        var b = buffer("set  key 中文")
        b.edit(.alt("b"))
        #expect(b.cursor == 9)
        b.edit(.alt("b"))
        #expect(b.cursor == 5)
        b.edit(.alt("b"))
        #expect(b.cursor == 0)
        b.edit(.alt("f"))
        #expect(b.cursor == 3)
        b.edit(.alt("f"))
        #expect(b.cursor == 8)
        #expect(b.line == "set  key 中文")
    }

    @Test func altDAndAltBackspaceEraseWords() {
        var b = buffer("get some key", cursor: 4)
        b.edit(.alt("d"))
        #expect(b.line == "get  key" && b.cursor == 4)
        b.edit(.alt("\u{7f}"))
        #expect(b.line == " key" && b.cursor == 0)
    }

    /// Esc b arrives as Alt-b: it moves, and the prompt stays open with its line.
    @Test func altBKeepsThePromptOpen() {
        var st = ConsoleState()
        _ = st.press(.char(":"))
        st.type("get my-key")
        _ = st.press(.alt("b"))
        #expect(st.prompt.isEditing && st.prompt.buffer.line == "get my-key" && st.prompt.buffer.cursor == 4)
    }

    /// A plain Esc closes the prompt, but the line is kept: Up at the next prompt recalls it.
    @Test func escapeKeepsTheLineInTheHistory() {
        var st = ConsoleState()
        _ = st.press(.char(":"))
        st.type("set k --text half typed")
        _ = st.press(.escape)
        #expect(!st.prompt.isEditing)
        _ = st.press(.char(":"), .up)
        #expect(st.prompt.buffer.line == "set k --text half typed")
        #expect(st.prompt.buffer.submissions == 0)
    }

    /// Pasted text lands in the line: letters are not hotkeys and a newline does not run it.
    @Test func pasteLandsInTheLineAndNeverRuns() {
        var st = ConsoleState()
        _ = st.press(.char(":"))
        #expect(st.press(.paste("set k {\n  \"type\": \"x\"\n}\n")) == .redraw)
        #expect(st.prompt.isEditing)
        #expect(st.prompt.buffer.line == "set k {   \"type\": \"x\" }")
        #expect(st.prompt.notice == "pasted 3 lines as one; Enter runs it, Esc leaves it")
        #expect(st.prompt.running == nil)
        // The next key clears the notice.
        _ = st.press(.end)
        #expect(st.prompt.notice == nil)
    }

    /// Outside the prompt a paste never acts as keys (`q` would quit, Space pause); a paste
    /// that starts with `:` opens the prompt with the command, not run.
    @Test func pasteOutsideThePromptIsNotKeys() {
        var st = ConsoleState()
        #expect(st.press(.paste("q q  \n")) == .redraw)
        #expect(!st.paused && !st.prompt.isEditing)
        #expect(st.prompt.message.hasPrefix("paste ignored"))
        _ = st.press(.paste(":get k\n"))
        #expect(st.prompt.isEditing && st.prompt.buffer.line == "get k" && st.prompt.running == nil)
    }

    @Test func pastedControlsAreDroppedAndLongPastesRefused() {
        #expect(PastedText.line("a\u{1b}[2Jb\tc\r").line == "a[2Jb c")
        var st = ConsoleState()
        _ = st.press(.char(":"))
        _ = st.press(.paste(String(repeating: "x", count: PromptBuffer.lengthLimit + 1)))
        #expect(st.prompt.buffer.line.isEmpty)
        #expect(st.prompt.notice?.hasPrefix("paste refused") == true)
    }

    @Test func historyFileKeepsLinesAcrossSessionsPrivately() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dhtop-history-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = HistoryFile(path: dir + "/state/dhtop/history")
        #expect(file.load().isEmpty)
        try file.append("get 中文")
        try file.append("set k --text hello")
        try file.append("set k --text hello")
        #expect(file.load() == ["get 中文", "set k --text hello"])
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let dirMode = try FileManager.default.attributesOfItem(atPath: dir + "/state/dhtop")[.posixPermissions] as? Int
        #expect(dirMode == 0o700)
        for i in 0..<(HistoryFile.limit + 5) { try file.append("get \(i)") }
        let lines = file.load()
        #expect(lines.count == HistoryFile.limit && lines.last == "get \(HistoryFile.limit + 4)")
        // Too long to save: kept for the session only.
        try file.append(String(repeating: "y", count: HistoryFile.lineLimit + 1))
        #expect(file.load().last == "get \(HistoryFile.limit + 4)")
        var buffer = PromptBuffer()
        buffer.load(file.load())
        buffer.edit(.up)
        #expect(buffer.line == "get \(HistoryFile.limit + 4)")
    }

    @Test func xdgDirectoriesFollowTheSpecification() {
        let env = ["HOME": "/home/u", "XDG_STATE_HOME": "/s", "XDG_CONFIG_HOME": "relative/ignored"]
        let d = XDGDirectories { env[$0] }
        #expect(d.history == "/s/dhtop/history")
        #expect(d.preferences == "/home/u/.config/dhtop/config.toml")
        #expect(d.themes == "/home/u/.config/dhtop/themes")
        let bare = XDGDirectories { ["HOME": "/h"][$0] }
        #expect(bare.history == "/h/.local/state/dhtop/history")
        #expect(XDGDirectories { _ in nil }.history == nil)
    }
}
