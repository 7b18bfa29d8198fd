import CNCursesw
import ConsoleModel
@testable import ConsoleTUI
import Testing

/// Smoke tests of the real ncurses path on a `/dev/null` terminal (no TTY needed).
@Suite(.serialized) struct NCursesBackendTests {
    @Test func drawsOnlyChangedCells() throws {
        let screen = try #require(nc_newterm_null("xterm-256color"))
        defer {
            endwin()
            delscreen(screen)
        }
        resizeterm(24, 80)
        let backend = NCursesBackend(theme: .builtInDark, noColor: false)
        #expect(backend.colorMode == .color256)
        var st = SampleState.make(width: 80, height: 24)
        backend.draw(ScreenRenderer.render(st))
        #expect(backend.lastWriteCount == 80 * 24)
        backend.draw(ScreenRenderer.render(st))
        #expect(backend.lastWriteCount == 0)
        _ = st.apply(.key(.char("2")))  // focus moves: titles and selection rows restyle
        backend.draw(ScreenRenderer.render(st))
        #expect(backend.lastWriteCount > 0 && backend.lastWriteCount < 200)
        // What ncurses holds matches the surface.
        var buffer = [wchar_t](repeating: 0, count: 81)
        mvwinnwstr(nc_stdscr(), 0, 0, &buffer, 80)
        let row = String(String.UnicodeScalarView(buffer.prefix { $0 != 0 }.compactMap { Unicode.Scalar(UInt32(bitPattern: $0)) }))
        #expect(row.hasPrefix("dhtop  0102030405  L0 attached"), "\(row)")
    }

    @Test(arguments: ["vt100", "xterm", "screen"])
    func worksOnSmallerTerminals(term: String) throws {
        let screen = try #require(nc_newterm_null(term))
        defer {
            endwin()
            delscreen(screen)
        }
        let backend = NCursesBackend(theme: .builtInDark, noColor: false)
        #expect(backend.colorMode == (term == "vt100" ? .monochrome : .color8))
        backend.draw(ScreenRenderer.render(SampleState.make(width: 80, height: 24), glyphs: .plain))
        #expect(backend.lastWriteCount > 0)
    }

    @Test func noColorForcesMonochrome() throws {
        let screen = try #require(nc_newterm_null("xterm-256color"))
        defer {
            endwin()
            delscreen(screen)
        }
        #expect(NCursesBackend(theme: .builtInDark, noColor: true).colorMode == .monochrome)
    }

    @Test func keyDecoding() {
        #expect(KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(KEY_RESIZE)) == .resize)
        #expect(KeyDecoder.decode(status: KEY_CODE_YES, value: UInt32(KEY_BTAB)) == .key(.backTab))
        #expect(KeyDecoder.decode(status: OK, value: 3) == .key(.ctrl("c")))
        #expect(KeyDecoder.decode(status: OK, value: 27) == .key(.escape))
        #expect(KeyDecoder.decode(status: OK, value: 13) == .key(.enter))
        #expect(KeyDecoder.decode(status: OK, value: 0xe9) == .key(.char("é")))
        #expect(KeyDecoder.decode(status: ERR, value: 0) == .none)
    }

    @Test func inboxDropsOldestEventsWhenFull() {
        let inbox = ConsoleInbox(capacity: 3)
        for i in 0..<5 { inbox.push(.commandProgress("p\(i)")) }
        #expect(inbox.drain().count == 3)
        #expect(inbox.dropped == 2)
    }
}
