import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

extension ConsoleEndToEndTests {
    @Test func quitRestoresTheTerminal() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Directly: `q` ends the program with status 0.
        let direct = TUISession("quit")
        defer { direct.stop() }
        try direct.start(size: "80x24", Self.console(dir, nodes: 2))
        Self.check(try direct.wait("1 K-buckets"))
        try direct.keys("q")
        #expect(try exitLine(direct).contains("exited with status 0"))

        // Inside a shell: afterwards the tty is back in canonical mode with echo.
        let sttyFile = dir + "/stty.txt"
        let shell = TUISession("quit-sh")
        defer { shell.stop() }
        let command = Self.console(dir, nodes: 2).map { "'\($0)'" }.joined(separator: " ")
        try shell.start(size: "80x24", ["sh", "-c", "\(command); echo \"exit=$?\"; stty -a > '\(sttyFile)'; echo shell-done; sleep 30"])
        Self.check(try shell.wait("1 K-buckets"))
        try shell.keys("q")
        Self.check(try shell.wait("shell-done"))
        let after = try shell.screen()
        #expect(after.contains("exit=0"))
        #expect(!after.contains("K-buckets"), "curses leftovers after exit:\n\(after)")
        let stty = try String(contentsOfFile: sttyFile, encoding: .utf8)
        let flags = Set(stty.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
        #expect(flags.contains("icanon") && !flags.contains("-icanon"), "\(stty)")
        #expect(flags.contains("echo") && !flags.contains("-echo"), "\(stty)")
    }

    @Test func sigtermAndSighupStopCleanly() throws {
        for (name, sig) in [("term", SIGTERM), ("hup", SIGHUP)] {
            let dir = E2EPaths.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let tui = TUISession("signal-\(name)")
            defer { tui.stop() }
            try tui.start(size: "80x24", Self.console(dir, nodes: 2))
            Self.check(try tui.wait("1 K-buckets"))
            let running = try tui.alive().stdout
            let pid = try #require(running.firstMatch(of: /pid (\d+)/).flatMap { Int32($0.1) }, "\(running)")
            kill(pid, sig)  // the program this test started, by pid
            #expect(try exitLine(tui).contains("exited with status 0"))
            let log = (try? String(contentsOfFile: dir + "/dhtop.log", encoding: .utf8)) ?? ""
            #expect(log.contains("stopped: signal(\(sig))"), "\(log)")
        }
    }

    @Test func notATerminalExitsTwoWithAHint() throws {
        let run = try runProgram(E2EPaths.dhtop, ["--seed", "127.0.0.1:9"], timeout: 10)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("dhtop: ") && run.stderr.contains("dhtop node"), "\(run.stderr)")
    }

    @Test func noColorLeavesOnlyResetBoldReverse() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, env) in [("color", [String]()), ("nocolor", ["NO_COLOR=1"])] {
            let tui = TUISession(name)
            defer { tui.stop() }
            try tui.start(size: "100x30", env: env, Self.console(dir + "/" + name, nodes: 2))
            Self.check(try tui.wait("joined through 2 seeds"))
            let colors = colorCodes(try tui.screen(ansi: true))
            if env.isEmpty {
                #expect(!colors.isEmpty, "the colored run shows no colors: the check would prove nothing")
            } else {
                #expect(colors.isEmpty, "color SGR codes with NO_COLOR=1: \(colors)")
                try tui.png("no-color-100x30.png")
            }
        }
    }

    @Test func everyThemeRenders() throws {
        let themes = try FileManager.default.contentsOfDirectory(atPath: E2EPaths.repo + "/themes")
            .filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(!themes.isEmpty)
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for theme in themes {
            let tui = TUISession("theme-\(theme)")
            defer { tui.stop() }
            // No seed answers here: the console says so and every pane still works.
            try tui.start(
                size: "200x50",
                [
                    E2EPaths.dhtop, "--host", "127.0.0.1", "--port", "0", "--seed", "127.0.0.1:9",
                    "--rpc-timeout", "1", "--data-dir", dir + "/" + theme, "--theme", theme
                ])
            for title in Self.paneTitles { Self.check(try tui.wait(title)) }
            Self.check(try tui.wait("theme \(theme)\\b"))
            Self.check(try tui.wait("no seed answered.*--seed.*--sandbox", timeout: 10))
            let screen = try tui.screen()
            #expect(!screen.contains("theme: "), "theme error shown:\n\(screen)")
            try tui.png("theme-\(theme)-200x50.png")
        }
    }
}

/// Waits (up to 10 s) for the program to end; returns `tui-drive alive`'s line about it.
func exitLine(_ tui: TUISession) throws -> String {
    for _ in 0..<100 {
        let r = try tui.alive()
        if r.status != 0 { return r.stdout }
        usleep(100_000)
    }
    return "still running"
}

/// The SGR parameters that set a color (30–38, 40–48, 90–97, 100–107), from `screen --ansi`.
func colorCodes(_ ansi: String) -> [String] {
    var found: [String] = []
    let scalars = Array(ansi.unicodeScalars)
    var i = 0
    while i + 1 < scalars.count {
        guard scalars[i] == "\u{1b}", scalars[i + 1] == "[" else {
            i += 1
            continue
        }
        var j = i + 2
        var text = ""
        while j < scalars.count, "0123456789;:".unicodeScalars.contains(scalars[j]) {
            text.unicodeScalars.append(scalars[j])
            j += 1
        }
        if j < scalars.count, scalars[j] == "m" {
            let params = text.split(separator: ";").compactMap { Int($0) }
            if params.contains(where: { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }) {
                found.append(text)
            }
        }
        i = j
    }
    return found
}
