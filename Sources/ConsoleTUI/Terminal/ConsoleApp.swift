#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import CNCursesw
import ConsoleModel
import DHTWire

/// The full-screen console: owns the curses screen, reads keys, drains the inbox into the
/// `ConsoleState`, and redraws what changed at most `maxFramesPerSecond` times a second.
///
/// Contract: `run` blocks the calling thread (the process's main thread) until the user quits
/// or SIGINT/SIGTERM/SIGHUP arrives, and restores the terminal on every one of those paths
/// (plus an `atexit` safety net). Everything else talks to it through the `ConsoleInbox`.
public struct ConsoleApp: Sendable {
    /// Start-up settings.
    public struct Options: Sendable {
        /// Directory holding `NAME.toml` theme files (nil: only the built-in theme).
        public var themesDirectory: String?
        public var themeName: String
        /// Monochrome regardless of the terminal (`NO_COLOR` in the environment also does it).
        public var noColor: Bool
        /// Redraw rate cap for node-driven changes; keys redraw at once.
        public var maxFramesPerSecond: Int
        /// Mouse reports on (click, wheel); the terminal's own text selection then needs Shift.
        public var mouse: Bool
        public init(
            themesDirectory: String? = nil, themeName: String = "dark", noColor: Bool = false,
            maxFramesPerSecond: Int = 4, mouse: Bool = true
        ) {
            self.themesDirectory = themesDirectory
            self.themeName = themeName
            self.noColor = noColor
            self.maxFramesPerSecond = maxFramesPerSecond
            self.mouse = mouse
        }
    }

    /// Why `run` returned.
    public enum ExitReason: Sendable, Equatable {
        case quit
        case signal(Int32)
        /// No usable terminal (stdout is not a TTY or TERM is unknown).
        case noTerminal
    }

    public var options: Options
    public init(options: Options = Options()) { self.options = options }

    /// Why this process's terminal cannot hold the console, for the message after `.noTerminal`:
    /// stdout is not a terminal, TERM is unset or unknown, or the terminal cannot address the
    /// cursor (`TERM=dumb`, hard-copy terminals).
    public static func terminalProblem() -> String {
        guard isatty(STDOUT_FILENO) != 0 else { return "stdout is not a terminal" }
        guard let t = getenv("TERM"), t.pointee != 0 else { return "TERM is not set" }
        let name = Sanitizer.clean(String(cString: t))
        guard nc_terminfo_known() != 0 else { return "TERM=\(name) is not in the terminfo database" }
        return "TERM=\(name) cannot draw a full-screen console (it needs cursor addressing, "
            + "as xterm-256color or screen-256color have)"
    }

    /// Runs the console until quit; see the type's contract.
    public func run(initial: ConsoleState, inbox: ConsoleInbox, backend: any NodeBackend) -> ExitReason {
        setlocale(LC_ALL, "")
        let utf8 = nc_is_utf8() != 0
        let library = ThemeLibrary(directory: options.themesDirectory)
        var state = initial
        state.themeNames = library.names()
        var theme = Theme.builtInDark
        do {
            theme = try library.load(options.themeName)
        } catch {
            state.prompt.say("theme: \(error.description); using built-in dark", .error)
        }
        state.themeName = theme.name
        let noColor = options.noColor || (getenv("NO_COLOR").map { $0.pointee != 0 } ?? false)

        guard isatty(STDOUT_FILENO) != 0 else { return .noTerminal }
        // Saves the terminal's modes first, so that even a crash leaves a usable terminal.
        nc_install_crash_restore()
        guard let screen = nc_newterm_stdio() else {
            nc_remove_crash_restore()
            return .noTerminal
        }
        guard nc_terminal_can_draw() != 0 else {
            endwin()
            delscreen(screen)
            nc_remove_crash_restore()
            return .noTerminal
        }
        nc_install_atexit_endwin()
        TerminalSignals.install()
        defer {
            endwin()
            delscreen(screen)
            TerminalSignals.restore()
            nc_remove_crash_restore()
        }
        raw()
        noecho()
        nonl()
        keypad(nc_stdscr(), true)
        set_escdelay(25)
        wtimeout(nc_stdscr(), 50)
        curs_set(0)
        if options.mouse { _ = nc_enable_mouse() }
        let terminal = NCursesBackend(theme: theme, noColor: noColor)
        let glyphs: Glyphs = !utf8 ? .plain : terminal.colorMode == .monochrome ? .unicodeMonochrome : .unicode
        _ = state.apply(.resize(width: Int(getmaxx(nc_stdscr())), height: Int(getmaxy(nc_stdscr()))))
        _ = state.apply(.tick(WallClock.now()))

        let frameMillis = Int64(1000 / max(1, options.maxFramesPerSecond))
        var lastFrame: Int64 = 0
        var dirty = true
        var drawNow = true
        var lastTickSecond: Int64 = 0
        var lastDrawn: ScreenRenderer.Frame?
        while true {
            if TerminalSignals.pending != 0 { return .signal(TerminalSignals.pending) }
            var ch: wint_t = 0
            let status = wget_wch(nc_stdscr(), &ch)
            var decoded = KeyDecoder.decode(status: status, value: UInt32(ch))
            if decoded == .mouse {
                var bstate: UInt = 0
                var mx: Int32 = 0
                var my: Int32 = 0
                let key = nc_get_mouse(&bstate, &mx, &my) != 0 ? lastDrawn.flatMap { KeyDecoder.mouse(bstate, x: Int(mx), y: Int(my), frame: $0) } : nil
                decoded = key.map { .key($0) } ?? .none
            }
            switch decoded {
            case .resize:
                terminal.invalidate()
                _ = state.apply(.resize(width: Int(getmaxx(nc_stdscr())), height: Int(getmaxy(nc_stdscr()))))
                drawNow = true
            case .key(let key):
                switch state.apply(.key(key)) {
                case .quit: return .quit
                case .runCommand(let command, let layer): start(command, layer: layer, backend: backend, inbox: inbox)
                case .switchTheme(let name):
                    do {
                        let t = try library.load(name)
                        terminal.setTheme(t)
                        state.themeName = t.name
                        state.prompt.say("theme \(t.name)", .success)
                    } catch {
                        state.prompt.say("theme: \(error.description)", .error)
                    }
                case .none, .redraw: break
                }
                drawNow = true
            case .none, .mouse: break
            }
            for input in inbox.drain() where state.apply(input) != .none { dirty = true }
            let now = WallClock.now()
            if now.unixSeconds != lastTickSecond {
                lastTickSecond = now.unixSeconds
                if !state.paused {
                    _ = state.apply(.tick(now))
                    dirty = true
                }
            }
            let mono = WallClock.monotonicMillis()
            if drawNow || (dirty && mono - lastFrame >= frameMillis) {
                let frame = ScreenRenderer.render(state, glyphs: glyphs)
                terminal.draw(frame)
                lastDrawn = frame
                lastFrame = mono
                dirty = false
                drawNow = false
            }
        }
    }

    /// Hands a network command to the backend; its progress and result come back via the inbox.
    private func start(_ command: NodeCommand, layer: Int, backend: any NodeBackend, inbox: ConsoleInbox) {
        backend.run(
            command, layer: layer, progress: { line in inbox.push(.commandProgress(line)) },
            completion: { outcome in inbox.push(.commandResult(outcome)) })
    }
}
