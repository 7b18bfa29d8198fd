import Foundation
import TestKit
import Testing

/// Rows you can act on, the results log and the pane filters, in the embedded console
/// (`dhtop --sandbox`) and in `dhtop attach`: the same pages from the same event stream.
extension ConsoleEndToEndTests {
    static let lookupTarget = "0123456789abcdef0123456789abcdef01234567"

    /// Enter on a contact → its page; `p` pings it; the result is in the log; Enter on the lookup of
    /// a `find` → its rounds. Returns nothing; fails the test with the screen on a miss.
    static func actOnRows(_ tui: TUISession, png prefix: String) throws {
        // A contact's page: focus K-buckets, open the first bucket, Enter on its first contact.
        // Sorted by id, so the contact stays on the first row when the ping refreshes it.
        try tui.keys("1", "Enter", "s")
        Self.check(try tui.wait("contacts sort:id"))
        try tui.keys("Enter")
        Self.check(try tui.wait("address     127\\.0\\.0\\.1:\\d+"))
        Self.check(try tui.wait("RTT history"))
        Self.check(try tui.wait("p ping  f find its id"))
        try tui.png("\(prefix)-contact.png")
        // Its ping action runs at once; the page closes and the result lands on the status line.
        try tui.keys("p")
        Self.check(try tui.wait("ping 127\\.0\\.0\\.1:\\d+: pong from"))
        // Reopened, the page now has the ping's round-trip time in its history.
        try tui.keys("Enter")
        Self.check(try tui.wait("RTT history: [1-9]\\d* answered"))
        Self.check(try tui.wait("ping +\\d+\\.\\d ms"))
        try tui.keys("Escape", "Escape")
        // A lookup's page: run a find, filter In flight down to it, Enter.
        try tui.type(":find \(lookupTarget)")
        try tui.keys("Enter")
        Self.check(try tui.wait("find \(lookupTarget): "))
        try tui.keys("2", "/")
        try tui.type(String(lookupTarget.prefix(12)))
        try tui.keys("Enter", "g", "Enter")
        Self.check(try tui.wait("target      \(lookupTarget)"))
        Self.check(try tui.wait("Round 1: \\d+ asked, \\d+ answered"))
        Self.check(try tui.wait("127\\.0\\.0\\.1:\\d+ +[0-9a-f]{16} +\\d+  answered"))
        try tui.png("\(prefix)-lookup.png")
        try tui.keys("Escape")
        Self.check(try tui.wait("1 K-buckets"))
        // Forget: the contact's page drops it from the node's table (through the same node API).
        try tui.keys("1", "Enter", "Enter")
        Self.check(try tui.wait("x forget it"))
        try tui.keys("x")
        Self.check(try tui.wait("forget [0-9a-f]{40}: forgot contact [0-9a-f]{12} on layer 0"))
        try tui.keys("Escape")  // closes the bucket
        Self.check(try tui.wait("K-buckets ─ \\d+ used"))
    }

    @Test func rowsResultsLogAndFiltersInTheEmbeddedConsole() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tui = TUISession("rows")
        defer { tui.stop() }
        try tui.start(size: "100x30", env: ["XDG_STATE_HOME=\(dir)/state"], Self.console(dir, nodes: 4))
        Self.check(try tui.wait("joined through 4 seeds"))
        try Self.actOnRows(tui, png: "rows-embedded-100x30")

        // `/` in K-buckets types a filter: its letters never act as keys (q would quit, space pause).
        try tui.keys("1", "/")
        try tui.type("q 127.0.0.1:")
        try tui.keys("Enter")
        Self.check(try tui.wait("K-buckets ─ \\d+ used .*/q 127\\.0\\.0\\.1:"))
        Self.check(try tui.wait("PAUSED", absent: true))
        try tui.keys("Escape")
        try tui.keys("/")
        try tui.type("127.0.0.1:")
        try tui.keys("Enter", "!")
        Self.check(try tui.wait("K-buckets ─ 0 used .*/!127\\.0\\.0\\.1:"))
        try tui.keys("Escape")
        Self.check(try tui.wait("K-buckets ─ [1-9]\\d* used"))

        // The results log: every result whole; `w` writes it under XDG_STATE_HOME and says where.
        try tui.keys("L")
        Self.check(try tui.wait("Results log \\([1-9]\\d* results\\)"))
        Self.check(try tui.wait("ok ping 127\\.0\\.0\\.1:\\d+: pong from"))
        try tui.png("rows-embedded-100x30-log.png")
        try tui.keys("w")
        Self.check(try tui.wait("results log written to \(dir)/state/dhtop/results-\\d{8}-\\d{6}\\.log"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/state/dhtop")
        let log = try #require(files.first { $0.hasPrefix("results-") }, "no log file in \(files)")
        let text = try String(contentsOfFile: dir + "/state/dhtop/" + log, encoding: .utf8)
        #expect(text.contains(" ok find \(Self.lookupTarget): "))
        #expect(text.contains(": pong from "))
        #expect(!text.contains("\u{1b}"))
    }

    @Test func rowsInTheAttachedConsole() throws {
        let dir = E2EPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socket = dir + "/ctl.sock"
        let (peer, node) = try HeadlessNode.attachablePair(in: dir, socket: socket)
        defer {
            node.stop()
            peer.stop()
        }
        let tui = TUISession("rows-attach")
        defer { tui.stop() }
        try tui.start(size: "100x30", [E2EPaths.dhtop, "attach", "--socket", socket])
        Self.check(try tui.wait("K-buckets ─ [1-9]\\d* used"))
        try Self.actOnRows(tui, png: "rows-attach-100x30")
    }
}
