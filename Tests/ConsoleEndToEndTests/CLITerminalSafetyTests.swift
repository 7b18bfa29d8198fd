import DHTRuntime
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

extension ConsoleEndToEndTests {
    /// A value holding escape sequences, read by `dhtop get` on a terminal, is shown escaped:
    /// it neither clears the screen nor sets the terminal's title (it did before).
    @Test func getOnATerminalShowsEscapesInsteadOfObeyingThem() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try HeadlessNode([
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--no-validate",
            "--data-dir", dir + "/node", "--no-control-socket"
        ])
        defer { node.stop() }
        // ASCII only: Python's encoder writes wrong lengths for non-ASCII strings (docs/protocol.md §4).
        let hostile = "before\u{1b}[2J\u{1b}]0;pwned\u{07}\u{1b}[31mafter"
        let python = E2EPaths.repo + "/.venv-bitdust/bin/python"
        let store = try runProgram(
            python,
            [
                E2EPaths.repo + "/../shared/reference/refclient.py", "--timeout", "15", "store",
                "127.0.0.1:\(node.port)", "hostile-key", hostile
            ])
        #expect(store.status == 0, "refclient store: \(store.stdout) \(store.stderr)")

        let tui = TUISession("cli-escape")
        defer { tui.stop() }
        try tui.start(
            size: "100x20",
            [
                "/bin/sh", "-c",
                "printf 'MARKER-ABOVE\\n'; \(E2EPaths.dhtop) get --seed 127.0.0.1:\(node.port) hostile-key; echo EXIT=$?; sleep 30"
            ])
        Self.check(try tui.wait("EXIT=0", timeout: 30))
        let screen = try tui.screen()
        // The value is there, its escapes written out; the screen was not cleared (the line
        // printed before is still visible) and the title was not set.
        #expect(screen.contains("MARKER-ABOVE"), "\(screen)")
        #expect(screen.contains("before\\x1b[2J\\x1b]0;pwned\\x07\\x1b[31mafter"), "\(screen)")
        #expect(try tui.paneTitle() != "pwned")
    }
}
