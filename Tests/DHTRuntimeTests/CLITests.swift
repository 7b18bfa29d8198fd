import DHTCore
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// `dhtop`'s exit codes and output against a `dhtop node --seed genesis` on 127.0.0.1.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct CLITests {
    @Test func usageErrorsExitTwo() throws {
        let cases: [[String]] = [
            ["get", "k", "--seed", "nonsense"],
            ["get", "k", "--seed", "127.0.0.1:99999"],
            ["get", "--raw-key", "not-hex"],
            ["find", "--raw-key", "not-hex"],
            ["set", "--raw-key", "not-hex", "v"],
            ["find", "x", "--layer", "10"],
            ["set", "k", "v", "--expire", "-5", "--seed", "127.0.0.1:1"],
            ["ping", "no-port"],
            ["node", "--no-such-flag"]
        ]
        for args in cases {
            let run = try DhtopProcess.run(args, timeout: 10)
            #expect(run.status == 2, "\(args): \(run.status.map(String.init) ?? "hung") \(run.stderr)")
            let lines = run.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("dhtop: "), "\(args): \(run.stderr)")
        }
    }

    /// Without a subcommand dhtop is the console: with no terminal it says to use `dhtop node`.
    @Test func noSubcommandNeedsATerminal() throws {
        let run = try DhtopProcess.run(["--host", "127.0.0.1", "--port", "0", "--seed", "genesis"], timeout: 10)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("dhtop: ") && run.stderr.contains("dhtop node"), "\(run.stderr)")
    }

    @Test func pingWithNoListenerExitsOne() throws {
        let run = try DhtopProcess.run(["ping", "127.0.0.1:1", "--timeout", "2"], timeout: 10)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("dhtop: "))
    }

    @Test func aFailedJoinStillPrintsOneJSONObject() throws {
        let run = try DhtopProcess.run(["get", "k", "--seed", "127.0.0.1:9", "--timeout", "3", "--json"], timeout: 15)
        #expect(run.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["ok"] as? Bool == false)
        #expect((object?["error"] as? String)?.hasPrefix("cannot join") == true || (object?["error"] as? String)?.hasPrefix("timed out") == true)
        #expect(run.stderr.hasPrefix("dhtop: "))
    }

    @Test func setGetRoundTripAndJSON() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try DhtopProcess([
            "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir,
            "--log-level", "warning"
        ])
        defer { node.terminate() }
        let ready = try #require(node.waitForReady(), "no READY: \(node.stderr.text)")
        let seed = ["--seed", "127.0.0.1:\(ready.port)", "--timeout", "10"]

        let value = "{\"type\":\"cli\",\"text\":\"h\u{e9}llo\"}"
        let set = try DhtopProcess.run(["set", "cli-key", value] + seed)
        #expect(set.status == 0, "\(set.stdout) \(set.stderr)")
        let get = try DhtopProcess.run(["get", "cli-key"] + seed)
        #expect(get.status == 0, "\(get.stdout) \(get.stderr)")
        #expect(get.stdout.contains("\"text\": \"h\u{e9}llo\""), "\(get.stdout)")

        // --text stores plain words as a skip_validation record, as the prompt's `set KEY --text`.
        let text = try DhtopProcess.run(["set", "text-key", "--text", "hello", "\u{4e2d}\u{6587}"] + seed)
        #expect(text.status == 0, "\(text.stdout) \(text.stderr)")
        let textGet = try DhtopProcess.run(["get", "text-key", "--json"] + seed)
        let textObject = try JSONSerialization.jsonObject(with: Data(textGet.stdout.utf8)) as? [String: Any]
        let stored = textObject?["value"] as? [String: Any]
        #expect(stored?["type"] as? String == "skip_validation", "\(textGet.stdout)")
        #expect(stored?["text"] as? String == "hello \u{4e2d}\u{6587}", "\(textGet.stdout)")

        let json = try DhtopProcess.run(["get", "cli-key", "--json"] + seed)
        #expect(json.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["found"] as? Bool == true)
        #expect(object["ok"] as? Bool == true)
        // A stored JSON text is shown as JSON, not as an escaped string.
        #expect((object["value"] as? [String: Any])?["text"] as? String == "h\u{e9}llo", "\(json.stdout)")
        #expect(object["key"] as? String == "cli-key")
        #expect((object["key_hash"] as? String)?.count == 40)
        #expect(object["rounds"] is Int && object["rpcs"] is Int && object["elapsed_ms"] != nil)

        let missing = try DhtopProcess.run(["get", "no-such-key", "--json"] + seed)
        #expect(missing.status == 1)
        let missingObject = try JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any]
        #expect(missingObject?["found"] as? Bool == false)
        #expect(missingObject?["ok"] as? Bool == false && (missingObject?["error"] as? String)?.hasPrefix("not found") == true)
        #expect(missing.stderr.hasPrefix("dhtop: not found"), "\(missing.stderr)")

        // One key rule: --raw-key takes the 40 hex digits the plain form hashes to.
        let raw = try DhtopProcess.run(["get", "--raw-key", DHTKey.hash("cli-key").hex, "--json"] + seed)
        #expect(raw.status == 0, "\(raw.stdout) \(raw.stderr)")
        #expect(try JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as? [String: Any] != nil)

        // --unchecked sends what the local check would refuse: the nodes refuse it themselves.
        let refused = try DhtopProcess.run(["set", "--unchecked", "cli-key-2", "not json", "--json"] + seed)
        #expect(refused.status == 1)
        let refusedObject = try JSONSerialization.jsonObject(with: Data(refused.stdout.utf8)) as? [String: Any]
        #expect(refusedObject?["ok"] as? Bool == false)
        let nodes = refusedObject?["nodes"] as? [[String: Any]]
        #expect(nodes?.first?["result"] as? String == "refused")

        let ping = try DhtopProcess.run(["ping", "127.0.0.1:\(ready.port)", "--json", "--timeout", "5"])
        #expect(ping.status == 0)
        let pong = try JSONSerialization.jsonObject(with: Data(ping.stdout.utf8)) as? [String: Any]
        #expect(pong?["id"] as? String == ready.id)

        let find = try DhtopProcess.run(["find", "--raw-key", ready.id, "--json"] + seed)
        #expect(find.status == 0)
        let found = try JSONSerialization.jsonObject(with: Data(find.stdout.utf8)) as? [String: Any]
        #expect((found?["nodes"] as? [[String: Any]])?.first?["id"] as? String == ready.id)
    }
}
