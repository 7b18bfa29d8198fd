import Foundation
import TestKit
import Testing

/// The reach commands at the console's prompt, end to end in a terminal: `crawl`, `latency` and
/// `discover N` run on the embedded node and show their outcome at the prompt; the header keeps
/// the last crawl's summary.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct ReachConsoleTests {
    @Test func crawlLatencyAndDiscoverAtThePrompt() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("reach")
        defer { tui.stop() }
        try tui.start(size: "120x40", ConsoleEndToEndTests.console(dir, nodes: 4))
        ConsoleEndToEndTests.check(try tui.wait("joined through 4 seeds"))
        try tui.type(":crawl 200")
        try tui.keys("Enter")
        ConsoleEndToEndTests.check(try tui.wait("crawl 200: crawl of layer 0: 4 nodes, 4 responsive", timeout: 45))
        // The header's third row keeps the last crawl's summary after the prompt line moves on.
        ConsoleEndToEndTests.check(try tui.wait("last crawl L0: 4 nodes"))
        try tui.type(":latency")
        try tui.keys("Enter")
        ConsoleEndToEndTests.check(try tui.wait("latency: RPC latency of [1-9]"))
        ConsoleEndToEndTests.check(try tui.wait("findNode +[0-9]+ calls: p50"))
        // The sandbox's nodes offer no service: discover on layer 0 asks them all and says so.
        try tui.type(":discover 0 2")
        try tui.keys("Enter")
        ConsoleEndToEndTests.check(try tui.wait("discover 0 2: 0 providers on layer 0 \\(idurl\\)", timeout: 45))
        try tui.png("reach-120x40.png")
    }
}
