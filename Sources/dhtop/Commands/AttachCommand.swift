import ArgumentParser
import ConsoleModel
import ConsoleTUI
import DHTControl

/// `dhtop attach [--socket PATH]`: the console, attached to a running headless node over its
/// control socket. `q` or SIGHUP (the SSH link dropping) detaches and leaves the node running.
/// When the node goes away the header says `detached: <reason>` at once, the node's panes are
/// marked stale, and the console reattaches by itself when the node is back (`AttachLink`).
/// Exit 0 on detach; exit 1 when no node answers at start or the terminal is unusable.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Attach the console to a running node (q detaches; the node keeps running)."
    )

    @OptionGroup var where_: ControlSocketOptions

    @Option(help: "Color theme: dark (default), light, high-contrast, or a NAME.toml in --themes or $XDG_CONFIG_HOME/dhtop/themes.")
    var theme: String?

    @Option(help: ArgumentHelp("Directory of theme files.", valueName: "path"))
    var themes: String?

    @Flag(name: .customLong("no-color"), help: "Monochrome.")
    var noColor = false

    @Flag(name: .customLong("read-only"), help: "Refuse commands that change stored data.")
    var readOnly = false

    func run() throws {
        let path: String
        switch Result(catching: { () throws(ControlError) in try where_.connectPath() }) {
        case .success(let p): path = p
        case .failure(let error):
            Output.fail(error.message)
            throw ExitCode(DHTop.failureStatus)
        }
        let client: ControlClient
        switch Result(catching: { () throws(ControlError) in try ControlClient.connect(path: path) }) {
        case .success(let c): client = c
        case .failure(let error):
            Output.fail(error.message)
            throw ExitCode(DHTop.failureStatus)
        }
        let inbox = ConsoleInbox()
        let link = AttachLink(
            path: path,
            handlers: .init(
                snapshot: { inbox.push(snapshot: $0) },
                events: { events, at in inbox.push(events: events, at: at) },
                state: { state in
                    switch state {
                    case .attached(let pid): inbox.push(.linkAttached(pid: pid))
                    case .detached(let reason, let retryIn): inbox.push(.linkDetached(reason: reason, retryIn: retryIn))
                    }
                }))
        link.start(with: client)
        let prefs = try ConsolePreferences.load()
        let options = ConsoleApp.Options(
            themesDirectory: themes, themeName: theme ?? prefs.theme ?? "dark", noColor: noColor,
            maxFramesPerSecond: prefs.fps ?? 4)
        var initial = ConsoleState(options: .init(readOnly: readOnly, columns: prefs.columns))
        initial.layer = prefs.layer ?? 0
        initial.link = .attached(pid: client.nodePID)
        let reason = ConsoleApp(options: options).run(initial: initial, inbox: inbox, backend: link)
        link.stop()
        if reason == .noTerminal {
            Output.fail("attach needs a terminal: \(ConsoleApp.terminalProblem()); try dhtop status")
            throw ExitCode(DHTop.failureStatus)
        }
    }
}
