import BitDustRecords
import ConsoleModel
import DHTCore
import DHTWire
import Testing

@Suite struct CommandParserTests {
    static let hex = String(repeating: "ab", count: 20)

    @Test(arguments: [
        ("get abc", PromptCommand.node(.get(try! KeyArgument("abc")))),
        ("get --raw-key " + hex, .node(.get(try! KeyArgument(hex, raw: true)))),
        ("get " + hex, .node(.get(try! KeyArgument(hex)))),
        ("set k '{\"type\": 1}' 600", .node(.set(try! KeyArgument("k"), value: "{\"type\": 1}", expireSeconds: 600))),
        ("set --unchecked k v", .node(.set(try! KeyArgument("k"), value: "v", expireSeconds: nil))),
        ("set --unchecked --raw-key \(hex) v", .node(.set(try! KeyArgument(hex, raw: true), value: "v", expireSeconds: nil))),
        ("set --unchecked k --raw-key", .node(.set(try! KeyArgument("k"), value: "--raw-key", expireSeconds: nil))),
        (
            "set k --text hello   w\u{f6}rld \u{4e2d}\u{6587} ",
            .node(.set(try! KeyArgument("k"), value: SetValue.text("hello   w\u{f6}rld \u{4e2d}\u{6587}"), expireSeconds: nil))
        ),
        (
            "set --raw-key \(hex) --text \"quoted\" 600",
            .node(.set(try! KeyArgument(hex, raw: true), value: SetValue.text("\"quoted\" 600"), expireSeconds: nil))
        ),
        (
            "set demo-key {\"type\":\"skip_validation\",\"v\":1}",
            .node(.set(try! KeyArgument("demo-key"), value: "{\"type\":\"skip_validation\",\"v\":1}", expireSeconds: nil))
        ),
        ("set k {\"type\": \"b } c\"} 600", .node(.set(try! KeyArgument("k"), value: "{\"type\": \"b } c\"}", expireSeconds: 600))),
        ("set --unchecked k [1, 2]", .node(.set(try! KeyArgument("k"), value: "[1, 2]", expireSeconds: nil))),
        ("delete k", .node(.delete(try! KeyArgument("k")))),
        ("delete --raw-key " + hex, .node(.delete(try! KeyArgument(hex, raw: true)))),
        ("ping 10.0.0.1:14441", .node(.ping(Endpoint(host: "10.0.0.1", port: 14441)!))),
        ("join localhost:8000", .node(.join(Endpoint(host: "127.0.0.1", port: 8000)!))),
        ("find " + hex, .node(.find(try! KeyArgument(hex, raw: true)))),
        ("find --raw-key " + hex, .node(.find(try! KeyArgument(hex, raw: true)))),
        ("find nodeState", .node(.find(try! KeyArgument("nodeState")))),
        ("discover", .node(.discover(DiscoverOptions()))),
        ("discover 3", .nodeOn(.discover(DiscoverOptions()), layer: 3)),
        ("discover 9 2", .nodeOn(.discover(DiscoverOptions(count: 2)), layer: 9)),
        ("watch k", .node(.watch(.key(try! KeyArgument("k")), WatchOptions()))),
        ("watch k 4", .node(.watch(.key(try! KeyArgument("k")), WatchOptions(count: 4)))),
        ("watch --raw-key \(hex) 2", .node(.watch(.key(try! KeyArgument(hex, raw: true)), WatchOptions(count: 2)))),
        ("watch --record nodeState", .node(.watch(.record(type: .nodeState, parts: []), WatchOptions()))),
        ("crawl", .node(.crawl(CrawlOptions()))),
        ("crawl 100", .node(.crawl(CrawlOptions(rate: 100)))),
        ("latency", .node(.latency)),
        ("forget \(hex)", .node(.forget(NodeID(hex: hex)!))),
        ("layer 2", .layer(2)),
        ("filter timeout peer", .filter("timeout peer")),
        ("filter", .filter("")),
        ("theme light", .theme("light")),
        ("  HELP ", .help),
        ("quit", .quit)
    ])
    func parses(line: String, expected: PromptCommand) throws {
        #expect(try CommandParser.parse(line).get() == expected)
    }

    /// One key rule at the prompt: a KEY is hashed, even when it looks like 40 hex digits;
    /// `--raw-key` takes 40 hex digits as they are.
    @Test func keysAreHashedUnlessRaw() throws {
        guard case .node(.get(let hashed)) = try CommandParser.parse("get " + Self.hex).get(),
            case .node(.get(let raw)) = try CommandParser.parse("get --raw-key " + Self.hex).get()
        else {
            Issue.record("not get commands")
            return
        }
        #expect(hashed.id == DHTKey.hash(Self.hex))
        #expect(raw.id == NodeID(hex: Self.hex))
    }

    @Test(arguments: [
        ("", "empty command; try 'help'"),
        ("fly away", "unknown command 'fly'; try 'help'"),
        ("get", "usage: get [--raw-key] KEY"),
        ("get --raw-key abc", "--raw-key needs exactly 40 hex digits, got 'abc'"),
        ("find --raw-key nodeState", "--raw-key needs exactly 40 hex digits, got 'nodeState'"),
        ("set k", "usage: set [--raw-key] KEY VALUE [EXPIRE]  or  set KEY --text WORDS…"),
        ("set k --text", "usage: set [--raw-key] KEY --text WORDS…"),
        ("set k v soon", "EXPIRE must be a positive number of seconds, not 'soon'"),
        // The issue's cases: what a BitDust node would refuse is refused here, with an example.
        ("set hello world", "VALUE 'world' is not JSON; " + SetValue.advice),
        ("set hello \"world\"", "VALUE 'world' is not JSON; " + SetValue.advice),
        ("set k {bad json", "VALUE '{bad json' is not JSON; " + SetValue.advice),
        ("set k [1, 2]", "VALUE '[1, 2]' is an array, not a JSON object; " + SetValue.advice),
        ("set k {\"a\":1}", "VALUE has no \"type\" field; " + SetValue.advice),
        ("set k {\"type\":\"\"}", "VALUE has no \"type\" field; " + SetValue.advice),
        (
            "set k {\"type\":\"suppliers\"}",
            "field \"key\" is required for suppliers (BitDust's readers would drop this value); "
                + "set --record suppliers … FIELD=VALUE… fills in key, type and timestamp"
        ),
        ("ping 10.0.0.1", "'10.0.0.1' is not HOST:PORT (IPv4 address, port 1-65535)"),
        ("ping 10.0.0.1:99999", "'10.0.0.1:99999' is not HOST:PORT (IPv4 address, port 1-65535)"),
        ("layer x", "layer must be a number 0 or more, not 'x'"),
        ("discover x", "usage: discover [LAYER] [N] (LAYER 0-9, N 1-100)"),
        ("discover 12", "LAYER must be 0-9, not 12"),
        ("discover 3 0", "N must be 1-100, not 0"),
        ("discover 1 2 3", "usage: discover [LAYER] [N]"),
        ("watch", "usage: watch [--raw-key] KEY [N]"),
        ("watch k 0", "N must be a number of reports 1 or more, not '0'"),
        ("crawl fast", "RATE must be 1-500 RPCs a second, not 'fast'"),
        ("latency now", "usage: latency"),
        ("forget", "usage: forget ID"),
        ("forget abc", "ID must be a node id of 40 hex digits, not 'abc'"),
        ("set k \"unclosed", "missing closing \""),
        ("get \u{1b}[2J x", "usage: get [--raw-key] KEY"),
        ("\u{1b}]0;x", "unknown command '\\x1b]0;x'; try 'help'")
    ])
    func reportsOneClearLine(line: String, message: String) {
        guard case .failure(let f) = CommandParser.parse(line) else {
            Issue.record("expected a failure for \(line)")
            return
        }
        #expect(f.message == message)
    }

    /// `set KEY --text` stores a skip_validation record holding the words, as BitDust writes JSON,
    /// and that value passes the same check and BitDust's store rule.
    @Test func textValuesAreSkipValidationRecords() throws {
        let value = SetValue.text("hello \u{4e2d}\u{6587} \"q\"")
        #expect(value == "{\n\"text\":\"hello \\u4e2d\\u6587 \\\"q\\\"\",\n\"type\":\"skip_validation\"\n}")
        try SetValue.check(value)
        #expect(BitDustStoreRule.check(new: .string(value), existing: nil) == nil)
    }

    @Test func oversizedValuesAreRefusedBeforeSending() {
        let big = "{\"type\":\"x\",\"b\":\"" + String(repeating: "y", count: SetValue.maxBytes) + "\"}"
        #expect(throws: SetValue.Invalid.self) { try SetValue.check(big) }
    }

    @Test func writeClassification() throws {
        #expect(PromptCommand.node(.set(try KeyArgument("k"), value: "v", expireSeconds: nil)).writes)
        #expect(PromptCommand.node(.delete(try KeyArgument("k"))).writes)
        #expect(!PromptCommand.node(.get(try KeyArgument("k"))).writes)
        #expect(!PromptCommand.layer(1).writes)
    }
}
