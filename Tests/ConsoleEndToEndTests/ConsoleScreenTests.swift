import Foundation
import TestKit
import Testing

/// The screen as a person meets it: the compact layout, the hint bar and F-keys, the mouse,
/// NO_COLOR and a terminal that cannot draw. Part of the serial `ConsoleEndToEndTests` suite.
extension ConsoleEndToEndTests {
    /// The SGR mouse reports of a click (button 0: press and release) or a wheel notch (64 up,
    /// 65 down: a press alone) at the 0-based cell (x, y), as xterm sends them once the program
    /// turned reports on.
    static func mouse(_ button: Int, x: Int, y: Int) -> String {
        let at = "\(button);\(x + 1);\(y + 1)"
        return "\u{1b}[<\(at)M" + (button < 64 ? "\u{1b}[<\(at)m" : "")
    }

    /// The screen's rows.
    static func rows(_ tui: TUISession) throws -> [String] { try tui.screen().split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    @Test func compactLayoutAt60x20WithHintsAndFunctionKeys() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("compact")
        defer { tui.stop() }
        try tui.start(size: "60x20", Self.console(dir, nodes: 2))
        for title in Self.paneTitles { Self.check(try tui.wait(title)) }
        // The way in is on screen from the start: the hint bar and the first message.
        Self.check(try tui.wait("^F1Help :Command F3Search F6Sort"))
        Self.check(try tui.wait("F10Quit"))
        Self.check(try tui.wait("contacts [0-9]+ good"))
        Self.check(try tui.wait("terminal too small", absent: true))
        // 3 focuses the stored keys: in the compact layout they take the room.
        try tui.keys("3")
        Self.check(try tui.wait("key +type"))
        try tui.keys("F1")
        Self.check(try tui.wait("dhtop keys"))
        Self.check(try tui.wait("other keys close"))
        try tui.keys("F1")
        Self.check(try tui.wait("dhtop keys", absent: true))
        try tui.keys("F3")
        Self.check(try tui.wait("^/stored keys:"))
        try tui.keys("Escape")
        try tui.keys("F6")
        Self.check(try tui.wait("keys sorted by"))
        try tui.png("compact-60x20.png")
        try tui.keys("F10")
        #expect(try exitLine(tui).contains("exited with status 0"))
    }

    @Test func mouseClickFocusesSelectsAndOpensAndTheWheelScrolls() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("mouse")
        defer { tui.stop() }
        try tui.start(size: "120x40", Self.console(dir, nodes: 3))
        Self.check(try tui.wait("joined through 3 seeds"))
        Self.check(try tui.wait("^ +0 \\S+ +[0-9a-f]{8}-"))  // a bucket row under the K-buckets header
        // Focus the stored keys by a click on their title: the hint bar follows the focus.
        let rows = try Self.rows(tui)
        let keysRow = try #require(rows.firstIndex { $0.contains("3 Stored keys") })
        let keysX = try #require(rows[keysRow].range(of: "3 Stored keys")).lowerBound.utf16Offset(in: rows[keysRow])
        try tui.type(Self.mouse(0, x: keysX + 2, y: keysRow))
        Self.check(try tui.wait("EnterRecord"))
        // A click on bucket row 0 selects it; a second click opens its contacts.
        let bucketRow = try #require(try Self.rows(tui).firstIndex { $0.hasPrefix("  0 ") })
        try tui.type(Self.mouse(0, x: 3, y: bucketRow))
        Self.check(try tui.wait("EnterContacts"))
        try tui.type(Self.mouse(0, x: 3, y: bucketRow))
        Self.check(try tui.wait("bucket 0: [0-9]+ contacts, Esc back"))
        Self.check(try tui.wait("id +address +rtt"))
        try tui.keys("Escape")
        // The wheel over Events scrolls it back from the live tail.
        let eventsRow = try #require(try Self.rows(tui).firstIndex { $0.contains("5 Events") })
        for _ in 0..<2 { try tui.type(Self.mouse(64, x: 5, y: eventsRow + 3)) }
        Self.check(try tui.wait("scrolled [1-9]"))
        try tui.png("mouse-120x40.png")
        // A click on a key hint presses its key: F1 opens the help.
        let hints = try Self.rows(tui)
        let barRow = try #require(hints.lastIndex { $0.hasPrefix("F1Help") })
        try tui.type(Self.mouse(0, x: 2, y: barRow))
        Self.check(try tui.wait("dhtop keys"))
    }

    @Test func noColorKeepsBarsVisibleAndMarksFocusInReverse() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("nocolor-bars")
        defer { tui.stop() }
        try tui.start(size: "120x40", env: ["NO_COLOR=1"], Self.console(dir, nodes: 3))
        Self.check(try tui.wait("joined through 3 seeds"))
        Self.check(try tui.wait("▓"))  // bars in shades: visible in reverse video too, unlike a full block
        let ansi = try tui.screen(ansi: true)
        #expect(colorCodes(ansi).isEmpty)
        // The focused pane's title is in reverse video; the others are not.
        let focused = try #require(ansi.range(of: " 1 K-buckets "))
        let before = ansi[..<focused.lowerBound].suffix(24)
        #expect(before.contains("7m") || before.contains(";7"), "focused title not in reverse: \(before.debugDescription)")
        let other = try #require(ansi.range(of: " 3 Stored keys "))
        let beforeOther = ansi[..<other.lowerBound].suffix(12)
        #expect(!beforeOther.contains("7m") && !beforeOther.contains(";7"), "\(beforeOther.debugDescription)")
        try tui.png("no-color-120x40.png")
    }

    @Test func dumbOrUnknownTerminalIsRefusedWithAMessage() throws {
        let cases = [
            ("dumb", "TERM=dumb cannot draw a full-screen console"),
            ("no-such-term-42", "TERM=no-such-term-42 is not in the terminfo")
        ]
        for (term, message) in cases {
            let dir = E2EPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let tui = TUISession("term-\(term)")
            defer { tui.stop() }
            try tui.start(size: "80x24", env: ["TERM=\(term)"], Self.console(dir, nodes: 1))
            Self.check(try tui.wait(message))
            #expect(try exitLine(tui).contains("exited with status 2"))
            let screen = try tui.screen()
            #expect(!screen.contains("K-buckets") && !screen.contains("\u{1b}"), "\(screen)")
        }
    }

    /// PNGs of the screens a person looks at (in `.build/e2e-png`), with the help open too.
    @Test func picturesAtEverySize() throws {
        for (size, env) in [("80x24", [String]()), ("120x40", []), ("200x50", []), ("80x24", ["NO_COLOR=1"])] {
            let dir = E2EPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let name = "pictures-\(size)\(env.isEmpty ? "" : "-nocolor")"
            let tui = TUISession(name)
            defer { tui.stop() }
            try tui.start(size: size, env: env, Self.console(dir, nodes: 3))
            Self.check(try tui.wait("joined through 3 seeds"))
            Self.check(try tui.wait("press : for commands, \\? for help|F1Help"))
            try tui.png("\(name).png")
            try tui.keys("?")
            Self.check(try tui.wait("dhtop keys"))
            Self.check(try tui.wait("any key closes|other keys close"))
            try tui.png("\(name)-help.png")
        }
    }
}
