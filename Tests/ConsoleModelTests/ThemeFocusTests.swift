import ConsoleModel
import Testing

/// In every theme (and without colors) the focused pane's title is stronger than the others: a
/// background or reverse video, and bold, where an unfocused title has neither.
@Suite struct ThemeFocusTests {
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/ConsoleModelTests/ThemeFocusTests.swift
        return parts.joined(separator: "/") + "/themes"
    }()

    static func stronger(_ focused: Theme.Style, than title: Theme.Style) -> Bool {
        let marked = focused.background != nil || focused.attributes.contains(.reverse)
        let plain = title.background == nil && !title.attributes.contains(.reverse)
        return marked && plain && focused.attributes.contains(.bold)
    }

    @Test func focusedTitleIsStrongerInEveryTheme() throws {
        let files = FileText.list(Self.directory).filter { $0.hasSuffix(".toml") }
        #expect(files.count >= 3)
        var themes = [Theme.builtInDark]
        for f in files {
            let text = try #require(FileText.read(Self.directory + "/" + f))
            themes.append(try ThemeParser.parse(text, file: f, fallbackName: f))
        }
        for t in themes {
            #expect(Self.stronger(t.style(.titleFocused), than: t.style(.title)), "theme \(t.name)")
        }
        let mono = Theme.Style(attributes: ThemeRole.titleFocused.monochrome)
        #expect(Self.stronger(mono, than: Theme.Style(attributes: ThemeRole.title.monochrome)))
    }
}
