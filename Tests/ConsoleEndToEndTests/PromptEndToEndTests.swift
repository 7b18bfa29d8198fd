import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The prompt in a real terminal: bracketed paste, CJK input, Alt-keys, history across runs,
/// the local `set` check and `set --text`, built-in themes of a copied binary, the preferences
/// file. Every console here is `--demo` (no network) unless the test needs nodes.
extension ConsoleEndToEndTests {
    /// Pastes `text` into the session's pane as tmux's `paste-buffer -p` does: wrapped in
    /// bracketed-paste markers when the application turned the mode on.
    static func paste(_ tui: TUISession, _ text: String) throws {
        let tmux = ["tmux", "-L", "\(tui.prefix)-\(tui.name)", "-f", "/dev/null"]
        let set = try runProgram("/usr/bin/env", tmux + ["set-buffer", "-b", "e2e", "--", text])
        #expect(set.status == 0, "\(set.stderr)")
        let paste = try runProgram("/usr/bin/env", tmux + ["paste-buffer", "-p", "-d", "-b", "e2e", "-t", "=\(tui.name):"])
        #expect(paste.status == 0, "\(paste.stderr)")
    }

    static func demo(_ extra: [String] = []) -> [String] { [E2EPaths.dhtop, "--demo"] + extra }

    /// Two pasted lines neither run the first nor act as hotkeys (`q` would quit, Space pause):
    /// they land in the line; outside the prompt a paste is ignored with a message.
    @Test func pasteNeverActsAsKeys() throws {
        let tui = TUISession("paste")
        defer { tui.stop() }
        try tui.start(size: "100x30", Self.demo())
        Self.check(try tui.wait("1 K-buckets"))
        try Self.paste(tui, "q q \n")
        Self.check(try tui.wait("paste ignored: press : first"))
        #expect(try tui.alive().status == 0, "a pasted q quit the console")
        try tui.keys(":")
        try Self.paste(tui, "get first\nq second\n")
        Self.check(try tui.wait("^:get first q second", timeout: 10))
        Self.check(try tui.wait("pasted 2 lines as one"))
        Self.check(try tui.wait("running get", absent: true))
        #expect(!(try tui.screen()).contains("PAUSED"))
        try tui.png("paste-100x30.png")
        try tui.keys("Escape")
        #expect(try tui.alive().status == 0)
    }

    /// CJK typed at the prompt shows as itself (not `\u4e2d\u6587`), and Alt-b (Esc b) moves a
    /// word back instead of closing the prompt.
    @Test func cjkInputAndAltKeys() throws {
        let tui = TUISession("cjk")
        defer { tui.stop() }
        try tui.start(size: "80x24", Self.demo())
        Self.check(try tui.wait("1 K-buckets"))
        try tui.keys(":")
        try tui.type("get 中文 key")
        Self.check(try tui.wait("^:get 中文 key"))
        #expect(!(try tui.screen()).contains("\\u4e2d"))
        try tui.keys("M-b")
        try tui.type("x")
        Self.check(try tui.wait("^:get 中文 xkey"))
        try tui.keys("Escape", "b")  // the same bytes as Alt-b, sent at once
        try tui.type("y")
        Self.check(try tui.wait("^:get 中文 yxkey"))
        try tui.png("cjk-prompt-80x24.png")
    }

    /// A command typed in one run is recalled with Up in the next; the file is private.
    @Test func historySurvivesARestart() throws {
        let home = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let env = ["XDG_STATE_HOME=\(home)/state"]
        do {
            let tui = TUISession("history-1")
            defer { tui.stop() }
            try tui.start(size: "80x24", env: env, Self.demo())
            Self.check(try tui.wait("1 K-buckets"))
            try tui.keys(":")
            try tui.type("layer 3")
            try tui.keys("Enter")
            Self.check(try tui.wait("layer 3 is not active"))
            try tui.keys("q")
            _ = try exitLine(tui)
        }
        let file = home + "/state/dhtop/history"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text == "layer 3\n")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let tui = TUISession("history-2")
        defer { tui.stop() }
        try tui.start(size: "80x24", env: env, Self.demo())
        Self.check(try tui.wait("1 K-buckets"))
        try tui.keys(":", "Up")
        Self.check(try tui.wait("^:layer 3"))
    }

    /// `set hello world` is refused before anything is sent, with an example, never with
    /// Python's error text; `set KEY --text …` stores a skip_validation record that reads back.
    @Test func setChecksTheValueAndStoresText() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("set-check")
        defer { tui.stop() }
        try tui.start(size: "120x40", Self.console(dir, nodes: 3))
        Self.check(try tui.wait("joined through 3 seeds"))
        try tui.type(":set hello world")
        try tui.keys("Enter")
        Self.check(try tui.wait("VALUE 'world' is not JSON; BitDust nodes store a JSON object with a \"type\" field, e\\.g\\."))
        #expect(!(try tui.screen()).contains("ValueError"))
        try tui.type(":set k {bad json")
        try tui.keys("Enter")
        Self.check(try tui.wait("VALUE '\\{bad json' is not JSON"))
        try tui.type(":set greeting --text hello 中文 world")
        try tui.keys("Enter")
        Self.check(try tui.wait("set greeting .*stored on [1-9]"))
        try tui.type(":get greeting")
        try tui.keys("Enter")
        Self.check(try tui.wait("\"text\": \"hello 中文 world\""))
        Self.check(try tui.wait("skip_validation"))
        try tui.png("set-text-120x40.png")
    }

    /// A copy of the binary outside the repository, run from elsewhere, has every built-in
    /// theme; a missing theme's warning stays on screen until a key is pressed.
    @Test func installedCopyFindsItsThemes() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: E2EPaths.dhtop, toPath: dir + "/bin/dhtop")
        let tui = TUISession("themes")
        defer { tui.stop() }
        try tui.start(size: "100x30", ["/bin/sh", "-c", "cd \(dir) && exec \(dir)/bin/dhtop --demo --theme light"])
        Self.check(try tui.wait("1 K-buckets"))
        #expect(!(try tui.screen()).contains("no such theme"))
        try tui.type(":theme high-contrast")
        try tui.keys("Enter")
        Self.check(try tui.wait("theme high-contrast"))
        try tui.png("themes-installed-light-100x30.png")
        try tui.type(":theme neon")
        try tui.keys("Enter")
        Self.check(try tui.wait("no such theme \\(have: dark, high-contrast, light\\)"))

        let missing = TUISession("theme-warning")
        defer { missing.stop() }
        let sandbox = "\(dir)/bin/dhtop --sandbox 2 --data-dir \(dir)/data --theme neon"
        try missing.start(size: "200x40", ["/bin/sh", "-c", "cd \(dir) && exec \(sandbox)"])
        Self.check(try missing.wait("! theme: neon.toml: no such theme"))
        // Still there after the join's result, which used to replace it; gone after a key.
        Self.check(try missing.wait("joined through 2 seeds", timeout: 20))
        Self.check(try missing.wait("! theme: neon.toml: no such theme"))
        try missing.png("theme-warning-200x40.png")
        try missing.keys("Tab")
        Self.check(try missing.wait("! theme:", absent: true))
    }

    /// A user theme in $XDG_CONFIG_HOME/dhtop/themes and the preferences file; a bad value
    /// there stops the console with the file, the line and what is allowed.
    @Test func preferencesAndUserThemes() throws {
        let home = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: home) }
        let config = home + "/config/dhtop"
        try FileManager.default.createDirectory(atPath: config + "/themes", withIntermediateDirectories: true)
        let dark = try String(contentsOfFile: E2EPaths.repo + "/themes/dark.toml", encoding: .utf8)
        try dark.replacingOccurrences(of: "name = \"dark\"", with: "name = \"mine\"")
            .write(toFile: config + "/themes/mine.toml", atomically: true, encoding: .utf8)
        try "fps = 0\n".write(toFile: config + "/config.toml", atomically: true, encoding: .utf8)
        let env = ["XDG_CONFIG_HOME": home + "/config"]
        let bad = try runProgram(E2EPaths.dhtop, ["--demo"], environment: env)
        #expect(bad.status == 2)
        #expect(bad.stderr == "dhtop: \(config)/config.toml:1: fps: must be a whole number 1-60, not 0\n", "\(bad.stderr)")

        try "theme = \"mine\"\nlayer = 1\n".write(toFile: config + "/config.toml", atomically: true, encoding: .utf8)
        let tui = TUISession("prefs")
        defer { tui.stop() }
        try tui.start(size: "100x30", env: ["XDG_CONFIG_HOME=\(home)/config"], Self.demo())
        Self.check(try tui.wait("1 K-buckets"))
        #expect(!(try tui.screen()).contains("theme:"))
        try tui.keys(":")
        try tui.type("theme m")
        try tui.keys("Tab")
        Self.check(try tui.wait("^:theme mine"))
    }

    /// NO_COLOR: the prompt's text input and paste work the same without colors.
    @Test func noColorPromptStillWorks() throws {
        let tui = TUISession("no-color-prompt")
        defer { tui.stop() }
        try tui.start(size: "80x24", env: ["NO_COLOR=1"], Self.demo())
        Self.check(try tui.wait("1 K-buckets"))
        try tui.keys(":")
        try Self.paste(tui, "get 中文")
        Self.check(try tui.wait("^:get 中文"))
        try tui.png("no-color-prompt-80x24.png")
    }
}
