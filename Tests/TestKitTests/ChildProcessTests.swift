import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The long-running child wrapper: lines read as they come, the READY line parsed, stopping by
/// pid (SIGTERM, then SIGKILL), and a shared log file.
@Suite(.serialized) struct ChildProcessTests {
    @Test func readyLineIsParsedAndStopEndsTheChild() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo booting; echo 'READY 4242 abcd'; while :; do sleep 1; done"])
        let ready = child.waitForReady(timeout: 30)
        #expect(ready?.port == 4242)
        #expect(ready?.id == "abcd")
        #expect(child.waitForLine(prefix: "boot", timeout: 30) == "booting")
        child.stop(grace: 30)
        #expect(!child.isRunning)
        #expect(child.process.terminationReason == .uncaughtSignal && child.process.terminationStatus == SIGTERM)
    }

    @Test func aChildIgnoringSIGTERMIsKilled() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "trap '' TERM; echo 'READY 1 x'; while :; do sleep 1; done"])
        #expect(child.waitForReady(timeout: 30) != nil)
        child.stop(grace: 1)
        #expect(child.process.terminationStatus == SIGKILL)
    }

    @Test func waitingEndsWhenTheChildExitsWithoutTheLine() throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo nothing; exit 7"])
        #expect(child.waitForReady(timeout: 60) == nil)
        #expect(child.waitForExit(timeout: 60) == 7)
        #expect(child.stdout.text == "nothing\n")
    }

    @Test func bothStreamsGoToOneLogFile() throws {
        let dir = TemporaryDirectory.create()
        defer { TemporaryDirectory.remove(dir) }
        let log = dir + "/child.log"
        try "stale\n".write(toFile: log, atomically: false, encoding: .utf8)
        let child = try ChildProcess("/bin/sh", ["-c", "echo one; echo two >&2; echo 'READY 7 id'; exec sleep 30"], logFile: log)
        #expect(child.waitForReady(timeout: 30)?.port == 7)
        child.stop(grace: 30)
        let lines = child.stdout.lines.map(String.init)
        #expect(!lines.contains("stale"))
        #expect(Set(lines) == ["one", "two", "READY 7 id"])
    }
}
