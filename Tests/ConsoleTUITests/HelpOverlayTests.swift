import ConsoleModel
@testable import ConsoleTUI
import Testing

/// The `?` overlay's structure at every size: straight box edges, nothing cut, and every key
/// of the key table, every command, and the closing line on screen or reachable by scrolling.
@Suite struct HelpOverlayTests {
    static let sizes: [(Int, Int)] = [(60, 20), (80, 24), (120, 40), (200, 50)]

    /// The rendered rows (as arrays of characters) with the help open, scrolled by `downs` presses of `j`.
    static func screen(_ w: Int, _ h: Int, downs: Int = 0, glyphs: Glyphs = .unicode) -> (rows: [[Character]], state: ConsoleState) {
        var st = SampleState.make(width: w, height: h)
        _ = st.apply(.key(.char("?")))
        for _ in 0..<downs { _ = st.apply(.key(.char("j"))) }
        let text = ScreenRenderer.render(st, glyphs: glyphs).surface.text
        return (text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { Array($0) }, st)
    }

    /// The box: the top-left corner's position and the opposite corner's.
    static func findBox(_ rows: [[Character]]) -> (x0: Int, y0: Int, x1: Int, y1: Int)? {
        for (y, row) in rows.enumerated() {
            guard let x0 = row.firstIndex(of: "┌"), let x1 = row.firstIndex(of: "┐") else { continue }
            guard let y1 = rows.indices.first(where: { $0 > y && rows[$0].count > x1 && rows[$0][x0] == "└" }) else { return nil }
            return (x0, y, x1, y1)
        }
        return nil
    }

    @Test(arguments: sizes) func boxEdgesAreStraightAndNothingIsCut(width: Int, height: Int) throws {
        let (rows, _) = Self.screen(width, height)
        #expect(rows.count == height && rows.allSatisfy { $0.count == width })
        let b = try #require(Self.findBox(rows), "no help box at \(width)×\(height)")
        #expect(rows[b.y1][b.x1] == "┘")
        #expect(b.x1 - b.x0 + 1 == min(width, 80), "box width at \(width)×\(height)")
        for y in (b.y0 + 1)..<b.y1 {
            let rule = rows[y][b.x0] == "├"
            #expect(
                rule ? rows[y][b.x1] == "┤" : (rows[y][b.x0] == "│" && rows[y][b.x1] == "│"),
                "left/right edge broken on row \(y): \(String(rows[y]))")
            // One column of padding inside each edge: no text touches the border.
            if !rule {
                #expect(rows[y][b.x0 + 1] == " " && rows[y][b.x1 - 1] == " ", "text touches the edge on row \(y)")
            } else {
                #expect(rows[y][b.x0 + 1] == "─" && rows[y][b.x1 - 1] == "─", "rule does not reach the edges on row \(y)")
            }
        }
        // Top and bottom edges are unbroken rules between the corners (titles sit on them).
        #expect(rows[b.y0][b.x0 + 1] == "─" && rows[b.y0][b.x1 - 1] == "─")
        #expect(rows[b.y1][b.x0 + 1] == "─" && rows[b.y1][b.x1 - 1] == "─")
        // Inside the box nothing is clipped with an ellipsis (the commands' own "…" excepted).
        let inside = (b.y0...b.y1).map { String(rows[$0][b.x0...b.x1]) }
        for line in inside {
            let stripped = line.replacingOccurrences(of: "PARTS…", with: "").replacingOccurrences(of: "V…", with: "")
            #expect(!stripped.contains("…"), "cut text in help at \(width)×\(height): \(line)")
        }
        // The screen around a box narrower than the screen is the console; a full-width box
        // covers every column, so nothing shows at columns 0 and width-1 but the edges.
        if width <= 80 {
            #expect(b.x0 == 0 && b.x1 == width - 1)
        }
    }

    @Test(arguments: sizes) func everyKeyCommandAndTheCloseLineIsReachable(width: Int, height: Int) throws {
        var seen = ""
        var downs = 0
        var closeLine = false
        while true {
            let (rows, st) = Self.screen(width, height, downs: downs)
            let b = try #require(Self.findBox(rows))
            for y in b.y0...b.y1 { seen += String(rows[y][b.x0...b.x1]) + "\n" }
            let bottom = String(rows[b.y1])
            closeLine = closeLine || bottom.contains("any key closes this help") || bottom.contains("other keys close")
            let area = st.helpArea
            if st.helpScroll >= HelpText.maxScroll(width: area.width, height: area.height) { break }
            downs += 1
            if downs > 200 {
                Issue.record("help never reaches its end")
                break
            }
        }
        #expect(closeLine)
        let flat = seen.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }.joined(separator: " ")
        for b in HelpText.bindings {
            #expect(flat.contains(b.keys.split(separator: " ").joined(separator: " ")), "key \(b.keys) missing at \(width)×\(height)")
            #expect(flat.contains(b.action), "action \(b.action) missing at \(width)×\(height)")
        }
        for c in HelpText.commands {
            #expect(flat.contains(c.syntax), "command \(c.syntax) missing at \(width)×\(height)")
            #expect(flat.contains(c.text.split(separator: " ").joined(separator: " ")), "'\(c.text)' missing at \(width)×\(height)")
        }
        #expect(flat.contains("help") && flat.contains("quit"))
    }

    /// At the smallest full console the first page shows the whole key table; the commands
    /// (more since discover, watch, crawl and latency) scroll, and any other key closes.
    @Test func atEightyByTwentyFourTheKeysFitAndTheCommandsScroll() {
        var st = SampleState.make(width: 80, height: 24)
        _ = st.apply(.key(.char("?")))
        let text = ScreenRenderer.render(st).surface.text
        for b in HelpText.bindings { #expect(text.contains(b.action), "\(b.action) not on the first page") }
        let area = st.helpArea
        if HelpText.maxScroll(width: area.width, height: area.height) > 0 {
            _ = st.apply(.key(.down))
            #expect(st.showHelp && st.helpScroll == 1)
        }
        _ = st.apply(.key(.char("x")))
        #expect(!st.showHelp)
    }

    /// On a small terminal scroll keys scroll, and any other key closes.
    @Test func onASmallTerminalScrollKeysScrollAndOthersClose() {
        var st = SampleState.make(width: 60, height: 20)
        _ = st.apply(.key(.char("?")))
        #expect(st.showHelp)
        _ = st.apply(.key(.down))
        #expect(st.showHelp && st.helpScroll == 1)
        _ = st.apply(.key(.end))
        let area = st.helpArea
        #expect(st.helpScroll == HelpText.maxScroll(width: area.width, height: area.height))
        _ = st.apply(.key(.up))
        #expect(st.helpScroll == HelpText.maxScroll(width: area.width, height: area.height) - 1)
        _ = st.apply(.key(.escape))
        #expect(!st.showHelp && st.helpScroll == 0)
        // Closed, the small terminal shows the notice again.
        #expect(ScreenRenderer.render(st).surface.text.contains("terminal too small"))
    }

    /// In ASCII mode (non-UTF-8 locale) the box is drawn with + - | and nothing else leaks.
    @Test func asciiHelpHasOnlyASCIIAndStraightEdges() {
        let (rows, _) = Self.screen(80, 24, glyphs: .plain)
        #expect(rows.allSatisfy { $0.allSatisfy(\.isASCII) })
        #expect(rows[0].first == "+" && rows[0].last == "+" && rows[23].first == "+" && rows[23].last == "+")
        #expect(rows[1...22].allSatisfy { ($0.first == "|" && $0.last == "|") || ($0.first == "+" && $0.last == "+") })
    }
}
