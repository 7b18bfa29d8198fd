import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The real `dhtop` binary driven in a terminal through `tui-drive` (tmux). One test at a time:
/// each starts consoles on 127.0.0.1 only and stops them in a `defer`.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ConsoleEndToEndTests {
    static let paneTitles = ["1 K-buckets", "2 In flight", "3 Stored keys", "4 Record", "5 Events"]

    /// `dhtop` with a sandbox of `nodes` and a private data directory, plus `extra` flags.
    static func console(_ dir: String, nodes: Int = 5, _ extra: [String] = []) -> [String] {
        [E2EPaths.dhtop, "--sandbox", String(nodes), "--data-dir", dir] + extra
    }

    /// Fails the test with the screen when `failure` is not nil.
    static func check(_ failure: String?, _ sourceLocation: SourceLocation = #_sourceLocation) {
        if let failure { Issue.record(Comment(rawValue: failure), sourceLocation: sourceLocation) }
    }

    @Test func allPanesAt80x24To200x50WithSandbox() throws {
        for (size, contacts) in [("80x24", "contacts [1-9]"), ("120x40", "contacts [1-9]"), ("200x50", "contacts [1-9]")] {
            let dir = E2EPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let tui = TUISession("panes-\(size)")
            defer { tui.stop() }
            try tui.start(size: size, Self.console(dir))
            for title in Self.paneTitles { Self.check(try tui.wait(title)) }
            Self.check(try tui.wait(contacts, timeout: 15))
            Self.check(try tui.wait("joined through 5 seeds"))
            Self.check(try tui.wait("skip_va", timeout: 15))  // sandbox traffic reached the keys pane
            try tui.png("console-\(size).png")
            #expect(FileManager.default.fileExists(atPath: dir + "/dhtop.log"))
        }
    }

    @Test func setThenGetRoundTripsAtThePrompt() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("setget")
        defer { tui.stop() }
        try tui.start(size: "100x30", Self.console(dir, nodes: 3))
        Self.check(try tui.wait("joined through 3 seeds"))
        try tui.type(":set demo-key {\"type\":\"skip_validation\",\"v\":1}")
        try tui.keys("Enter")
        Self.check(try tui.wait("set demo-key .*: stored on [1-9]"))
        try tui.type(":get demo-key")
        try tui.keys("Enter")
        Self.check(try tui.wait("get demo-key: found after"))
        Self.check(try tui.wait("\"v\": 1"))
        try tui.png("set-get-100x30.png")
    }

    @Test func tooSmallThenBack() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("resize")
        defer { tui.stop() }
        try tui.start(size: "80x24", Self.console(dir, nodes: 2))
        Self.check(try tui.wait("1 K-buckets"))
        try tui.resize("59x20")
        Self.check(try tui.wait("terminal too small \\(59×20, needs 60×20\\)"))
        try tui.resize("60x20")
        for title in Self.paneTitles { Self.check(try tui.wait(title)) }
        Self.check(try tui.wait("terminal too small", absent: true))
    }

    @Test func escapeSequencesInValuesAreShownEscaped() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("escapes")
        defer { tui.stop() }
        // --no-validate: the raw control bytes are not JSON, so only this node keeps them.
        try tui.start(size: "100x30", Self.console(dir, nodes: 3, ["--no-validate"]))
        Self.check(try tui.wait("joined through 3 seeds"))
        let titleBefore = try tui.paneTitle()
        let screen = try tui.screen()
        let port = try #require(screen.firstMatch(of: /127\.0\.0\.1:(\d+)/)?.1, "no address in the header")
        let seed = ["--seed", "127.0.0.1:\(port)", "--timeout", "5"]
        let raw = "{\"type\":\"skip_validation\",\"raw\":\"\u{1b}]0;HACKED\u{07}\u{1b}[2J\u{1b}[31mred\"}"
        let json = "{\"type\":\"skip_validation\",\"t\":\"\\u001b]2;HACKED\\u0007\\u001b[2Jblue\"}"
        for (key, value) in [("evil-raw", raw), ("evil-json", json)] {
            let set = try runProgram(E2EPaths.dhtop, ["set", "--unchecked", key, value] + seed)
            #expect(set.status == 0, "\(set.stdout) \(set.stderr)")
        }
        try tui.type(":get evil-raw")
        try tui.keys("Enter")
        Self.check(try tui.wait("\\\\x1b\\]0;HACKED\\\\x07\\\\x1b\\[2J\\\\x1b\\[31mred"))
        try tui.type(":get evil-json")
        try tui.keys("Enter")
        Self.check(try tui.wait("\\\\x1b\\]2;HACKED\\\\x07\\\\x1b\\[2Jblue"))
        let text = try tui.screen()
        #expect(!text.contains("\u{1b}") && !text.contains("\u{07}"))
        let ansi = try tui.screen(ansi: true)
        #expect(!ansi.contains("\u{1b}]"), "an OSC sequence reached the terminal")
        #expect(try tui.paneTitle() == titleBefore)
        #expect(!(try tui.paneTitle()).contains("HACKED"))
        for title in Self.paneTitles { Self.check(try tui.wait(title)) }
        try tui.png("escaped-values-100x30.png")
    }
}
