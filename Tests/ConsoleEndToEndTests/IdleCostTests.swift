import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension ConsoleEndToEndTests {
    /// Figures, printed and not asserted: bytes an idle console writes to its terminal per minute
    /// and the CPU it uses, over 20 s (scaled ×3), at 80×24 with no peer answering.
    @Test func idleConsoleCostFigures() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let typescript = dir + "/typescript"
        let console = [E2EPaths.dhtop, "--host", "127.0.0.1", "--port", "0", "--seed", "127.0.0.1:9", "--rpc-timeout", "1",
                       "--data-dir", dir + "/node"].joined(separator: " ")
        let tui = TUISession("idle")
        defer { tui.stop() }
        // `script` sits between tmux and dhtop and records every byte dhtop writes to the terminal.
        try tui.start(size: "80x24", ["script", "-q", "-f", "-c", console, typescript])
        Self.check(try tui.wait("no seed answered", timeout: 15))
        let scriptPID = try #require(try tui.alive().stdout.firstMatch(of: /pid (\d+)/).flatMap { Int32($0.1) })
        let pid = try #require(descendant(of: scriptPID, named: "dhtop"), "dhtop not found under script")
        sleep(3)
        let bytes0 = fileSize(typescript), cpu0 = cpuTicks(pid)
        sleep(20)
        let bytes1 = fileSize(typescript), cpu1 = cpuTicks(pid)
        let perMinute = (bytes1 - bytes0) * 3
        let cpuPercent = Double(cpu1 - cpu0) / Double(sysconf(Int32(_SC_CLK_TCK))) / 20 * 100
        print("FIGURE idle console 80x24: \(perMinute) bytes/min to the terminal, CPU \(String(format: "%.2f", cpuPercent))% of a core")
        #expect(bytes1 > 0)
        try tui.keys("q")
        #expect(try exitLine(tui).contains("exited with status 0"))
    }
}

func fileSize(_ path: String) -> Int {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
}

/// utime + stime of a process, in clock ticks (from /proc/PID/stat).
func cpuTicks(_ pid: Int32) -> Int {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return 0 }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command: state is field 3, utime 14 and stime 15 (1-based over the whole line).
    return (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
}

/// The first process named `name` below `pid` (via /proc/PID/task/PID/children).
func descendant(of pid: Int32, named name: String, depth: Int = 4) -> Int32? {
    guard depth > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8) else { return nil }
    for child in text.split(separator: " ").compactMap({ Int32($0) }) {
        let comm = (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
        if comm == name { return child }
        if let found = descendant(of: child, named: name, depth: depth - 1) { return found }
    }
    return nil
}
