import ArgumentParser
import ConsoleModel
import ConsoleTUI
import DHTControl

/// `dhtop attach [--socket PATH]`: the console, attached to a running headless node over its
/// control socket. `q` or SIGHUP (the SSH link dropping) detaches and leaves the node running.
/// Exit 0 on detach; exit 1 when no node answers or the terminal is unusable.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Attach the console to a running node (q detaches; the node keeps running)."
    )

    @OptionGroup var where_: ControlSocketOptions

    @Option(help: "Color theme name (a NAME.toml in --themes).")
    var theme = "dark"

    @Option(help: ArgumentHelp("Directory of theme files.", valueName: "path"))
    var themes: String?

    @Flag(name: .customLong("no-color"), help: "Monochrome.")
    var noColor = false

    @Flag(name: .customLong("read-only"), help: "Refuse commands that change stored data.")
    var readOnly = false

    func run() throws {
        let client: ControlClient
        switch Result(catching: { () throws(ControlError) in try ControlClient.connect(path: where_.connectPath()) }) {
        case .success(let c): client = c
        case .failure(let error):
            Output.fail(error.message)
            throw ExitCode(DHTop.failureStatus)
        }
        let inbox = ConsoleInbox()
        let remote = RemoteConsole(client: client, handlers: .init(
            snapshot: { inbox.push(snapshot: $0) },
            events: { events, at in inbox.push(events: events, at: at) },
            closed: { reason in inbox.push(.commandResult(.failure("detached from the node: \(reason)"))) }))
        remote.start()
        let options = ConsoleApp.Options(themesDirectory: themes, themeName: theme, noColor: noColor)
        let reason = ConsoleApp(options: options).run(initial: ConsoleState(options: .init(readOnly: readOnly)),
                                                       inbox: inbox, backend: remote)
        remote.detach()
        if reason == .noTerminal {
            Output.fail("attach needs a terminal (stdout is not a TTY or TERM is unknown); try dhtop status")
            throw ExitCode(DHTop.failureStatus)
        }
    }
}
