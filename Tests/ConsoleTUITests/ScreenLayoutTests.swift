import CNCursesw
import ConsoleModel
import DHTCore
@testable import ConsoleTUI
import Testing

/// The layouts from 60×20 to 200×50, columns fitted to the width, and what a person sees in them:
/// nothing overlaps or leaves the screen, wide panes show values whole, none is dropped with room.
@Suite struct ScreenLayoutTests {
    static let sizes: [(Int, Int)] = [(60, 20), (79, 24), (80, 20), (80, 24), (120, 40), (159, 40), (160, 40), (200, 50)]

    @Test(arguments: sizes) func panesTileTheScreenWithoutOverlap(width: Int, height: Int) {
        for focus in [PaneID.buckets, .inFlight, .keys, .record, .events] {
            let l = Layout(width: width, height: height, focus: focus)
            #expect(l.kind == (width < 80 || height < 24 ? .compact : width >= 160 ? .wide : .standard))
            #expect(l.prompt == Rect(x: 0, y: height - 1, width: width, height: 1))
            #expect(l.hints == Rect(x: 0, y: height - 2, width: width, height: 1))
            var owner = Array(repeating: Array(repeating: 0, count: width), count: height)
            let rects = [l.header, l.hints, l.prompt] + l.panes.values + l.separators.map { Rect(x: $0.x, y: $0.y, width: 1, height: $0.height) }
            for r in rects {
                #expect(r.x >= 0 && r.y >= 0 && r.x + r.width <= width && r.y + r.height <= height, "\(r) off screen")
                for y in r.y..<(r.y + r.height) { for x in r.x..<(r.x + r.width) { owner[y][x] += 1 } }
            }
            #expect(owner.allSatisfy { $0.allSatisfy { $0 == 1 } }, "gaps or overlaps at \(width)×\(height) focus \(focus)")
            #expect(l.panes.values.allSatisfy { $0.height >= 1 }, "a pane lost its title line")
            if l.kind == .compact {
                let tallest = l.panes.max { $0.value.height < $1.value.height }!.key
                #expect(tallest == focus, "compact: the focused pane should take the room")
            }
        }
    }

    @Test func columnsDropLeastImportantFirstAndGrowWithRoom() {
        let specs = [
            ColumnSpec(["a"], min: 4, ideal: 10, priority: 0), ColumnSpec(["b"], min: 4, priority: 2),
            ColumnSpec(["c"], min: 4, ideal: 6, priority: 1), ColumnSpec(["d"], min: 2, priority: 3, flex: true)
        ]
        #expect(Columns(specs, width: 9).widths == [4, 0, 4, 0])
        #expect(Columns(specs, width: 14).widths == [4, 4, 4, 0])
        #expect(Columns(specs, width: 16).widths == [6, 4, 4, 0])
        #expect(Columns(specs, width: 17).widths == [4, 4, 4, 2])
        #expect(Columns(specs, width: 40).widths == [10, 4, 6, 17])
        // An extra column only once the others have their ideal width.
        let withExtra = specs + [ColumnSpec(["e"], min: 3, priority: 4, extra: true)]
        #expect(Columns(withExtra, width: 20).widths == [7, 4, 4, 2, 0])
        #expect(Columns(withExtra, width: 40).widths == [10, 4, 6, 13, 3])
        for w in 0..<60 {
            let c = Columns(specs, width: w)
            let shown = c.widths.filter { $0 > 0 }
            #expect(shown.reduce(0, +) + max(0, shown.count - 1) <= max(w, 0) || shown.isEmpty)
        }
    }

    /// The K-buckets pane keeps every column at 200×50 and at 120×40 (`chg` was lost before).
    @Test(arguments: [(120, 40), (200, 50)]) func bucketsKeepEveryColumnWithRoom(width: Int, height: Int) throws {
        let st = SampleState.make(width: width, height: height)
        let r = try #require(Layout(width: width, height: height).panes[.buckets])
        let text = ScreenRenderer.render(st).surface.text.split(separator: "\n").map(String.init)
        let header = String(Array(text[r.y + 1])[r.x..<(r.x + r.width)])
        for title in ["#", "range", "fill", "n/k", "rc", "oldest", "chg"] {
            #expect(header.split(separator: " ").contains(Substring(title)), "\(title) missing at \(width)×\(height): \(header)")
        }
    }

    /// At 200×50 keys are shown whole (40 hex digits), types whole, addresses with their ports.
    @Test func wideScreenShowsValuesWhole() {
        let text = ScreenRenderer.render(SampleState.make(width: 200, height: 50)).surface.text
        #expect(text.contains("74285c981a32dc7a7397831ec9cb9fe5e75770f6 suppliers"))
        #expect(text.contains("10.0.0.7:14441"))
        #expect(text.contains("joined"))
        #expect(!text.contains("conver…") && !text.contains("skip_val…"))
    }

    /// A join that asked every contact and heard from some is a success: not drawn as a failure.
    @Test func successfulJoinIsNotRed() throws {
        let frame = ScreenRenderer.render(SampleState.make(width: 120, height: 40))
        let s = frame.surface
        let rows = s.text.split(separator: "\n").map { Array($0) }
        let y = try #require(rows.firstIndex { String($0).contains("join ") && String($0).contains("joined") })
        let x = try #require(String(rows[y]).range(of: "joined").map { String(rows[y]).distance(from: String(rows[y]).startIndex, to: $0.lowerBound) })
        #expect(s[x, y].role == .good)
    }

    /// A status too long for a narrow pane reads as its short word, never cut: `converged` is
    /// `done` at 80×24 and whole at 200×50.
    @Test func narrowStatusesAreShortWordsNotCuts() {
        for (w, h, word) in [(80, 24, "done"), (200, 50, "converged")] {
            var st = SampleState.make(width: w, height: h)
            var l = LookupSummary(id: LookupID(9), layer: 0, target: SampleState.nid(0xbeef, 1), purpose: .findNode, startedAt: st.now)
            l.termination = .converged
            l.responders = 4
            _ = st.apply(.events([.lookupFinished(l)], at: st.now))
            let text = ScreenRenderer.render(st).surface.text
            #expect(text.contains("findNode") && text.contains(" \(word) "), "\(w)×\(h)")
            #expect(!text.contains("conver…"))
        }
    }

    /// A click reaches the list row drawn under the pointer; the wheel the pane under it.
    @Test func mouseHitsTheRowDrawnThere() throws {
        var st = SampleState.make(width: 120, height: 40)
        let frame = ScreenRenderer.render(st)
        let keys = try #require(frame.panes[.keys])
        let row = try #require(frame.surface.targets.first { $0.pane == .keys && $0.item == 1 })
        let press = UInt(nc_button1_pressed())
        #expect(KeyDecoder.mouse(press, x: keys.x + 3, y: row.y, frame: frame) == .click(.keys, item: 1))
        #expect(KeyDecoder.mouse(press, x: keys.x + 3, y: keys.y, frame: frame) == .click(.keys, item: nil))
        #expect(KeyDecoder.mouse(UInt(nc_button5_pressed()), x: 1, y: frame.panes[.events]!.y + 1, frame: frame) == .wheel(.events, 3))
        #expect(KeyDecoder.mouse(UInt(nc_button4_pressed()), x: 1, y: frame.panes[.events]!.y + 1, frame: frame) == .wheel(.events, -3))
        #expect(KeyDecoder.mouse(press, x: 1, y: 0, frame: frame) == nil)  // the header
        _ = st.apply(.key(KeyDecoder.mouse(press, x: keys.x + 3, y: row.y, frame: frame)!))
        #expect(st.focus == .keys && st.keys.selection == 1)
        let selected = ScreenRenderer.render(st).surface
        #expect(selected[keys.x, row.y].role == .selection)
    }

    /// A click on a key hint presses that key.
    @Test func clickOnAHintPressesItsKey() throws {
        let frame = ScreenRenderer.render(SampleState.make(width: 80, height: 24))
        let bar = frame.surface.text.split(separator: "\n")[22]
        let press = UInt(nc_button1_pressed())
        for (text, key) in [("F1Help", KeyPress.function(1)), ("F10Quit", .function(10)), ("TabPane", .tab)] {
            let x = try #require(bar.range(of: text)).lowerBound.utf16Offset(in: bar)
            #expect(KeyDecoder.mouse(press, x: x + 2, y: 22, frame: frame) == key, "\(text)")
        }
    }

    /// F-keys decode from curses' key codes.
    @Test func functionKeysDecode() {
        #expect(KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(KEY_F0 + 1)) == .key(.function(1)))
        #expect(KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(KEY_F0 + 10)) == .key(.function(10)))
        #expect(KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(KEY_MOUSE)) == .mouse)
    }

    /// Without colors the bars stay visible (their glyph is not reversed into a blank) and the
    /// focused pane's title is in reverse video, stronger than the others.
    @Test func monochromeKeepsBarsAndMarksFocus() {
        #expect(!ThemeRole.barFull.monochrome.contains(.reverse))
        #expect(ThemeRole.titleFocused.monochrome.isSuperset(of: [.reverse, .bold]))
        #expect(ThemeRole.title.monochrome.isStrictSubset(of: ThemeRole.titleFocused.monochrome))
        // Shades stay distinct from each other under a selection; ASCII has its fallbacks.
        let st = SampleState.make(width: 80, height: 24)
        let text = ScreenRenderer.render(st, glyphs: .unicodeMonochrome).surface.text
        #expect(text.contains("▓▓") && text.contains("░░") && !text.contains("█"))
        #expect(Glyphs.asciiFallback("▓") == "#" && Glyphs.asciiFallback("░") == ".")
    }

    /// The hint bar lists the F-keys and keeps Quit in view at the smallest size.
    @Test(arguments: [(60, 20), (80, 24), (200, 50)]) func hintBarShowsTheKeys(width: Int, height: Int) {
        let rows = ScreenRenderer.render(SampleState.make(width: width, height: height)).surface.text.split(separator: "\n")
        let bar = String(rows[height - 2])
        #expect(bar.hasPrefix("F1Help :Command F3Search F6Sort"), "\(bar)")
        #expect(bar.contains("F10Quit"))
    }
}
