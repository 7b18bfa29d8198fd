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
        /// The directory of a `--theme PATH` file, searched before the user's themes.
        public var themesDirectory: String?
        /// The user's own themes (`$XDG_CONFIG_HOME/dhtop/themes`), searched before the built-in ones.
        public var userThemesDirectory: String? = XDGDirectories.fromProcess().themes
        public var themeName: String
        /// Monochrome regardless of the terminal (`NO_COLOR` in the environment also does it).
        public var noColor: Bool
        /// Redraw rate cap for node-driven changes; keys redraw at once.
        public var maxFramesPerSecond: Int
        /// Mouse reports on (click, wheel); the terminal's own text selection then needs Shift.
        public var mouse: Bool
        /// The prompt history kept across sessions (nil: this session only).
        public var historyPath: String?
        public init(
            themesDirectory: String? = nil, themeName: String = "dark", noColor: Bool = false,
            maxFramesPerSecond: Int = 4, mouse: Bool = true,
            historyPath: String? = XDGDirectories.fromProcess().history
        ) {
            self.themesDirectory = themesDirectory
            self.themeName = themeName
            self.noColor = noColor
            self.maxFramesPerSecond = maxFramesPerSecond
            self.mouse = mouse
            self.historyPath = historyPath
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
        let library = ThemeLibrary(directories: [options.themesDirectory, options.userThemesDirectory].compactMap { $0 })
        var state = initial
        state.themeNames = library.names()
        var theme = Theme.builtInDark
        do {
            theme = try library.load(options.themeName)
        } catch {
            state.prompt.warn("theme: \(error.description); using built-in dark")
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
            BracketedPaste.disable()
            endwin()
            delscreen(screen)
            TerminalSignals.restore()
            nc_remove_crash_restore()
        }
        raw()
        noecho()
        nonl()
        keypad(nc_stdscr(), true)
        meta(nc_stdscr(), true)
        BracketedPaste.enable()
        set_escdelay(25)
        curs_set(0)
        if options.mouse { _ = nc_enable_mouse() }
        let terminal = NCursesBackend(theme: theme, noColor: noColor)
        let glyphs: Glyphs = !utf8 ? .plain : terminal.colorMode == .monochrome ? .unicodeMonochrome : .unicode
        _ = state.apply(.resize(width: Int(getmaxx(nc_stdscr())), height: Int(getmaxy(nc_stdscr()))))
        _ = state.apply(.tick(WallClock.now()))
        state.paneRows = Layout.contentRows(width: state.width, height: state.height)

        let frameMillis = Int64(1000 / max(1, options.maxFramesPerSecond))
        var lastFrame: Int64 = 0
        var dirty = true
        var drawNow = true
        var lastTickSecond: Int64 = 0
        var lastDrawn: ScreenRenderer.Frame?
        var input = InputDecoder()
        let history = options.historyPath.map(HistoryFile.init(path:))
        if let history { state.prompt.buffer.load(history.load()) }
        var savedSubmissions = state.prompt.buffer.submissions
        var historyFailed = false
        var decoded: [KeyDecoder.Decoded] = []
        while true {
            if TerminalSignals.pending != 0 { return .signal(TerminalSignals.pending) }
            if decoded.isEmpty { decoded = Self.read(&input) }
            var next = decoded.isEmpty ? KeyDecoder.Decoded.none : decoded.removeFirst()
            if next == .mouse {
                var bstate: UInt = 0
                var mx: Int32 = 0
                var my: Int32 = 0
                let key = nc_get_mouse(&bstate, &mx, &my) != 0 ? lastDrawn.flatMap { KeyDecoder.mouse(bstate, x: Int(mx), y: Int(my), frame: $0) } : nil
                next = key.map { .key($0) } ?? .none
            }
            switch next {
            case .resize:
                terminal.invalidate()
                _ = state.apply(.resize(width: Int(getmaxx(nc_stdscr())), height: Int(getmaxy(nc_stdscr()))))
                state.paneRows = Layout.contentRows(width: state.width, height: state.height)
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
                case .saveResultsLog(let text):
                    switch ResultsLogFile.write(text, at: WallClock.now()) {
                    case .success(let path): state.prompt.say("results log written to \(path)", .success)
                    case .failure(let error): state.prompt.say("results log: \(error.message)", .error)
                    }
                case .none, .redraw: break
                }
                if state.prompt.buffer.submissions != savedSubmissions {
                    savedSubmissions = state.prompt.buffer.submissions
                    Self.save(state.prompt.buffer.history.last, to: history, failed: &historyFailed, state: &state)
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

    /// Saves a submitted line; the first failure is shown as a warning (until a key), the
    /// later ones are not repeated.
    private static func save(_ line: String?, to history: HistoryFile?, failed: inout Bool, state: inout ConsoleState) {
        guard let line, let history else { return }
        do throws(PrivateFile.Failure) {
            try history.append(line)
        } catch {
            if !failed { state.prompt.warn("history not saved: \(error.description)") }
            failed = true
        }
    }

    /// One read from the terminal through the decoder: waits up to 50 ms, or not at all while a
    /// key is half read (an Esc that may start an Alt-key, part of a UTF-8 character).
    private static func read(_ input: inout InputDecoder) -> [KeyDecoder.Decoded] {
        wtimeout(nc_stdscr(), input.wantsMore ? 0 : 50)
        let c = wgetch(nc_stdscr())
        if c == ERR { return input.feed(.idle) }
        return input.feed(c >= 0 && c < 256 ? .byte(UInt8(c)) : .code(c))
    }

    /// Hands a network command to the backend; its progress and result come back via the inbox.
    private func start(_ command: NodeCommand, layer: Int, backend: any NodeBackend, inbox: ConsoleInbox) {
        backend.run(
            command, layer: layer, progress: { line in inbox.push(.commandProgress(line)) },
            completion: { outcome in inbox.push(.commandResult(outcome)) })
    }
}
