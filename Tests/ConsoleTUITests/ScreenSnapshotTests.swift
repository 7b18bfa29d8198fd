import ConsoleModel
@testable import ConsoleTUI
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Compares rendered screens with text files under `Snapshots/`. They are rewritten only by
/// `scripts/record-snapshots` (which sets `DHTOP_RECORD_SNAPSHOTS=1` for this target and shows
/// the diff to review); any other value of the variable is ignored. A recording run still fails,
/// so it can never pass a suite by itself.
@Suite struct ScreenSnapshotTests {
    static let directory: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Snapshots"
    }()

    func check(_ name: String, _ text: String) {
        let path = Self.directory + "/" + name + ".txt"
        if let v = getenv("DHTOP_RECORD_SNAPSHOTS"), String(cString: v) == "1" {
            guard let f = fopen(path, "wb") else {
                Issue.record("cannot write \(path)")
                return
            }
            fputs(text, f)
            fclose(f)
            Issue.record("recorded \(name); review the diff (scripts/record-snapshots shows it)")
            return
        }
        guard let expected = FileText.read(path) else {
            Issue.record("missing snapshot \(path); run scripts/record-snapshots and review it")
            return
        }
        #expect(text == expected, "snapshot \(name) differs")
    }

    @Test(arguments: [(60, 20), (80, 24), (120, 40), (200, 50)])
    func screen(width: Int, height: Int) {
        let frame = ScreenRenderer.render(SampleState.make(width: width, height: height))
        check("screen-\(width)x\(height)", frame.surface.text)
    }

    @Test func asciiScreenHasOnlyASCII() {
        let frame = ScreenRenderer.render(SampleState.make(width: 80, height: 24), glyphs: .plain)
        check("screen-80x24-ascii", frame.surface.text)
        #expect(frame.surface.text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func helpOverlayAndOpenBucket() {
        var st = SampleState.make(width: 80, height: 24)
        _ = st.apply(.key(.enter))
        check("buckets-open-80x24", ScreenRenderer.render(st).surface.text)
        _ = st.apply(.key(.char("?")))
        check("help-80x24", ScreenRenderer.render(st).surface.text)
    }

    @Test(arguments: [(60, 20), (120, 40)])
    func helpOverlay(width: Int, height: Int) {
        var st = SampleState.make(width: width, height: height)
        _ = st.apply(.key(.char("?")))
        check("help-\(width)x\(height)", ScreenRenderer.render(st).surface.text)
    }

    @Test func tooSmallShowsOnlyTheNotice() {
        let frame = ScreenRenderer.render(SampleState.make(width: 59, height: 20))
        #expect(frame.surface.text.contains("terminal too small (59×20, needs 60×20)"))
        check("too-small-59x20", frame.surface.text)
    }

    /// The compact layout gives the focused pane the room: here the stored keys.
    @Test func compactWithKeysFocused() {
        var st = SampleState.make(width: 60, height: 20)
        _ = st.apply(.key(.char("3")))
        check("compact-keys-60x20", ScreenRenderer.render(st).surface.text)
    }

    @Test func networkTextNeverReachesTheSurfaceRaw() {
        for (w, h) in [(80, 24), (200, 50)] {
            let text = ScreenRenderer.render(SampleState.make(width: w, height: h)).surface.text
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" || $0.value == 0x7f })
        }
    }

    @Test func promptShowsCursorWhileEditing() {
        var st = SampleState.make(width: 80, height: 24)
        for k: KeyPress in [.char(":"), .char("g"), .char("e"), .char("t")] { _ = st.apply(.key(k)) }
        let frame = ScreenRenderer.render(st)
        #expect(frame.cursor == ScreenRenderer.Frame.Cursor(x: 4, y: 23))
        // The hint bar above says what the prompt's keys do.
        #expect(frame.surface.text.split(separator: "\n")[22].hasPrefix("EnterRun EscCancel TabComplete"))
        #expect(frame.surface.text.split(separator: "\n").last?.hasPrefix(":get") == true)
    }
}
