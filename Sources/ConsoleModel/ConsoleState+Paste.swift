extension ConsoleState {
    /// A bracketed paste: into the line being edited (as one line, see `PastedText`); outside
    /// the prompt, a paste that starts with `:` opens the prompt with the rest, and any other is
    /// ignored with a message. Pasted text never acts as keys and never runs a command.
    mutating func paste(_ text: String) -> ConsoleIntent {
        var (line, lines) = PastedText.line(text)
        if !prompt.isEditing {
            let trimmed = line.drop { $0 == " " }
            guard trimmed.first == ":" else {
                prompt.say("paste ignored: press : first, then paste the command", .info)
                return .redraw
            }
            showHelp = false
            openPrompt(.command)
            line = String(trimmed.dropFirst())
        }
        guard prompt.buffer.insert(line) else {
            prompt.notice = "paste refused: \(line.count) characters, a line holds \(PromptBuffer.lengthLimit)"
            return .redraw
        }
        prompt.notice = lines > 1 ? "pasted \(lines) lines as one; Enter runs it, Esc leaves it" : nil
        if case .filter(let pane) = prompt.mode { setFilter(prompt.buffer.line, pane: pane) }
        return .redraw
    }
}
