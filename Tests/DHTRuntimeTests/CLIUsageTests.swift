import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// What a new user meets first on the command line: `--version`, the root help naming the
/// console's options, one clear line for every bad number, `ping` without `--seed`, `bench
/// --target` failing when nothing answers, and a lifetime clamp that is announced. Launches the
/// `dhtop` binary: runs in the serial phase of `scripts/test`.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct CLIUsageTests {
    static let subcommands = ["console", "node", "get", "set", "key", "ping", "find", "status", "attach", "bench"]

    /// `dhtop --version` and `dhtop SUB --version` print the same `dhtop X.Y.Z` and exit 0.
    @Test func versionOnEveryCommand() throws {
        let root = try DhtopProcess.run(["--version"], timeout: 10)
        #expect(root.status == 0)
        let version = root.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.firstMatch(of: /^dhtop \d+\.\d+\.\d+$/) != nil, "\(root.stdout)")
        for sub in Self.subcommands {
            let run = try DhtopProcess.run([sub, "--version"], timeout: 10)
            #expect(run.status == 0, "\(sub): \(run.stderr)")
            #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == version, "\(sub): \(run.stdout)")
        }
    }

    /// The console is the default command: `dhtop --help` names each of its own options (those
    /// `dhtop console --help` lists beyond `dhtop node`'s).
    @Test func rootHelpListsTheConsoleOptions() throws {
        func options(_ text: String) -> Set<String> {
            Set(text.matches(of: /(?m)^\s+(--[a-z][a-z-]*)/).map { String($0.1) })
        }
        let root = try DhtopProcess.run(["--help"], timeout: 10)
        let console = try DhtopProcess.run(["console", "--help"], timeout: 10)
        let node = try DhtopProcess.run(["node", "--help"], timeout: 10)
        #expect(root.status == 0 && console.status == 0 && node.status == 0)
        let own = options(console.stdout).subtracting(options(node.stdout)).subtracting(["--help", "--version"])
        #expect(own.isSuperset(of: ["--sandbox", "--theme", "--no-color", "--read-only", "--fps", "--demo"]), "\(own)")
        for option in own {
            #expect(root.stdout.contains(option), "dhtop --help does not name \(option):\n\(root.stdout)")
        }
        #expect(root.stdout.contains("dhtop console --help"))
    }

    /// Every bad number is a usage error (exit 2) with one line naming the flag, the range and
    /// the value, negative numbers included (never "Missing value").
    @Test func badNumbersSayWhatIsAllowed() throws {
        let cases: [([String], String)] = [
            (["node", "--port", "-1"], "--port must be 0–65535, not -1"),
            (["node", "--port", "65536"], "--port must be 0–65535, not 65536"),
            (["status", "--port", "-1"], "--port must be 0–65535, not -1"),
            (["console", "--fps", "0"], "--fps must be 1–60, not 0"),
            (["console", "--sandbox", "-2"], "--sandbox must be 1–64, not -2"),
            (["get", "k", "--layer", "-1"], "--layer must be 0–9, not -1"),
            (["node", "--layer", "12"], "--layer must be 0–9, not 12"),
            (["find", "k", "--timeout", "-1"], "--timeout must be more than 0 and at most 3600 seconds, not -1"),
            (["set", "k", "v", "--expire", "-5"], "--expire must be at least 1 second, not -5"),
            // The VALUE is checked before any node starts, as at the prompt (`SetValue`).
            (["set", "k", "hello world"], "VALUE 'hello world' is not JSON; " + "BitDust nodes store a JSON object with a \"type\" field, e.g. set KEY {"),
            (["set", "k", "{bad json"], "VALUE '{bad json' is not JSON;"),
            (["set", "k", "{\"a\":1}"], "VALUE has no \"type\" field;"),
            (["set", "k", "--text"], "missing WORDS after --text"),
            (["node", "--rate-limit", "-1"], "--rate-limit must be 0–1000000 datagrams a second, not -1"),
            (["node", "--rate-burst", "0"], "--rate-burst must be 1–1000000 datagrams, not 0"),
            (["node", "--rpc-timeout", "-3"], "--rpc-timeout must be more than 0 and at most 3600 seconds, not -3"),
            (["node", "--k", "0"], "--k must be 1–64, not 0"),
            (["node", "--storage-quota", "-1"], "--storage-quota '-1' is not a size"),
            (["bench", "--outstanding", "-4"], "--outstanding must be 1–1024, not -4")
        ]
        for (args, message) in cases {
            let run = try DhtopProcess.run(args, timeout: 10)
            #expect(run.status == 2, "\(args): \(run.status.map(String.init) ?? "hung") \(run.stderr)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("dhtop: " + message), "\(args): \(run.stderr)")
        }
    }

    /// `ping` joins nothing, so it offers no `--seed` (and refuses one).
    @Test func pingHasNoSeedOption() throws {
        let help = try DhtopProcess.run(["ping", "--help"], timeout: 10)
        #expect(help.status == 0)
        #expect(!help.stdout.contains("--seed"), "\(help.stdout)")
        let run = try DhtopProcess.run(["ping", "127.0.0.1:9", "--seed", "127.0.0.1:1"], timeout: 10)
        #expect(run.status == 2 && run.stderr.contains("--seed"), "\(run.stderr)")
    }

    /// `bench --target` at a port where nothing listens fails (exit 1) instead of printing 0/s.
    @Test func benchTargetWithNothingThereFails() throws {
        let run = try DhtopProcess.run(["bench", "--target", "127.0.0.1:9", "--seconds", "1"], timeout: 30)
        #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.hasPrefix("dhtop: nothing answers at 127.0.0.1:9"), "\(run.stderr)")
        #expect(!run.stdout.contains("/s served"), "\(run.stdout)")
    }

    /// Against a node: `bench --target` measures it; `--expire` below or above what a record may
    /// live is changed with a note on stderr and in the JSON; `status` reports the version.
    @Test func againstARunningNode() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try DhtopProcess([
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir,
            "--control-socket", dir + "/control.sock", "--log-level", "warning"
        ])
        defer { node.terminate() }
        let ready = try #require(node.waitForReady(), "no READY: \(node.stderr.text)")
        let seed = ["--seed", "127.0.0.1:\(ready.port)", "--timeout", "10"]

        let bench = try DhtopProcess.run(["bench", "--target", "127.0.0.1:\(ready.port)", "--seconds", "0.5"], timeout: 30)
        #expect(bench.status == 0, "\(bench.stderr)")
        #expect(bench.stdout.contains("ping 127.0.0.1:\(ready.port)"), "\(bench.stdout)")

        let low = try DhtopProcess.run(["set", "clamp-low", "{\"type\":\"skip_validation\"}", "--expire", "5", "--json"] + seed)
        #expect(low.status == 0, "\(low.stdout) \(low.stderr)")
        #expect(low.stderr.contains("dhtop: expire 5 s raised to the minimum 120 s"), "\(low.stderr)")
        let lowJSON = try JSONSerialization.jsonObject(with: Data(low.stdout.utf8)) as? [String: Any]
        #expect(lowJSON?["expire_seconds"] as? Int == 120, "\(low.stdout)")
        #expect(lowJSON?["expire_note"] as? String == "expire 5 s raised to the minimum 120 s")

        let high = try DhtopProcess.run(["set", "clamp-high", "{\"type\":\"skip_validation\"}", "--expire", "100000"] + seed)
        #expect(high.status == 0, "\(high.stdout) \(high.stderr)")
        #expect(high.stderr.contains("dhtop: expire 100000 s lowered to the maximum 43200 s"), "\(high.stderr)")
        #expect(high.stdout.contains("expire 100000 s lowered to the maximum 43200 s"), "\(high.stdout)")

        let plain = try DhtopProcess.run(["set", "clamp-none", "{\"type\":\"skip_validation\"}", "--expire", "600", "--json"] + seed)
        #expect(plain.status == 0 && !plain.stderr.contains("expire"), "\(plain.stderr)")
        #expect((try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])?["expire_note"] == nil)

        let version = try DhtopProcess.run(["--version"], timeout: 10).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "dhtop ", with: "")
        let text = try DhtopProcess.run(["status", "--socket", dir + "/control.sock"], timeout: 10)
        #expect(text.status == 0 && text.stdout.hasPrefix("dhtop \(version) (pid "), "\(text.stdout) \(text.stderr)")
        let json = try DhtopProcess.run(["status", "--socket", dir + "/control.sock", "--json"], timeout: 10)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["version"] as? String == version, "\(json.stdout)")
    }

    /// `find --json` prints exactly one JSON object when it fails too (the NodeAPI rendering).
    @Test func aFailedFindStillPrintsOneJSONObject() throws {
        let run = try DhtopProcess.run(["find", "some-key", "--seed", "127.0.0.1:9", "--timeout", "3", "--json"], timeout: 15)
        #expect(run.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == false, "\(run.stdout)")
        #expect((object?["error"] as? String)?.isEmpty == false)
        #expect(object?["target"] as? String == "some-key")
        #expect(run.stderr.hasPrefix("dhtop: "))
    }
}
