import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// The runner every process-driving suite uses: output captured whole (through pipes or files),
/// status kept, a child past its deadline stopped by pid.
@Suite(.serialized) struct ProcessRunnerTests {
    @Test func capturesBothStreamsAndTheStatus() throws {
        let r = try ProcessRunner.run("/bin/sh", ["-c", "printf 'out\\n'; printf 'err\\n' >&2; exit 3"], timeout: 60)
        #expect(r.status == 3)
        #expect(r.stdout == "out\n")
        #expect(r.stderr == "err\n")
        #expect(!r.timedOut)
    }

    @Test func passesEnvironmentAndDirectory() throws {
        let dir = TemporaryDirectory.create()
        defer { TemporaryDirectory.remove(dir) }
        let r = try ProcessRunner.run(
            "/bin/sh", ["-c", "printf '%s %s' \"$TESTKIT_PROBE\" \"$(pwd -P)\""],
            environment: ["TESTKIT_PROBE": "probe"], directory: dir, timeout: 60)
        let real = URL(fileURLWithPath: dir).resolvingSymlinksInPath().path
        #expect(r.stdout == "probe \(real)")
    }

    /// A child that ignores SIGTERM is killed with SIGKILL after the grace period.
    @Test func aChildPastItsDeadlineIsKilled() throws {
        let r = try ProcessRunner.run(
            "/bin/sh", ["-c", "trap '' TERM; echo started; while :; do sleep 1; done"],
            timeout: 1, grace: 1)
        #expect(r.timedOut)
        #expect(r.stdout == "started\n")
        #expect(throws: HarnessError.self) { try r.requireFinished("the loop") }
    }

    /// Output in files (as HostNetworkTests runs `ip netns exec`) reads back like pipes, and the
    /// files go away with the run.
    @Test func outputToFilesCapturesBothStreams() throws {
        let r = try ProcessRunner.run("/bin/sh", ["-c", "echo parent; echo oops >&2; exit 4"], timeout: 60, outputToFiles: true)
        #expect(r.status == 4)
        #expect(!r.timedOut)
        #expect(r.stdout == "parent\n")
        #expect(r.stderr == "oops\n")
    }

    @Test func jsonParsesStdout() throws {
        let r = try ProcessRunner.run("/bin/sh", ["-c", "printf '{\"a\":1}'"], timeout: 60)
        #expect(r.json?["a"] as? Int == 1)
    }
}
