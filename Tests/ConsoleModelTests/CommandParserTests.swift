import ConsoleModel
import DHTWire
import Testing

@Suite struct CommandParserTests {
    @Test(arguments: [
        ("get abc", ConsoleCommand.get(key: "abc")),
        ("set k '{\"a\": 1}' 600", .set(key: "k", value: "{\"a\": 1}", expireSeconds: 600)),
        ("set k v", .set(key: "k", value: "v", expireSeconds: nil)),
        ("set demo-key {\"type\":\"skip_validation\",\"v\":1}", .set(key: "demo-key", value: "{\"type\":\"skip_validation\",\"v\":1}", expireSeconds: nil)),
        ("set k {\"a\": \"b } c\"} 600", .set(key: "k", value: "{\"a\": \"b } c\"}", expireSeconds: 600)),
        ("set k [1, 2]", .set(key: "k", value: "[1, 2]", expireSeconds: nil)),
        ("delete k", .delete(key: "k")),
        ("ping 10.0.0.1:14441", .ping(Endpoint(host: "10.0.0.1", port: 14441)!)),
        ("join localhost:8000", .join(Endpoint(host: "127.0.0.1", port: 8000)!)),
        ("find " + String(repeating: "ab", count: 20), .find(.id(NodeID(hex: String(repeating: "ab", count: 20))!))),
        ("find nodeState", .find(.key("nodeState"))),
        ("layer 2", .layer(2)),
        ("filter timeout peer", .filter("timeout peer")),
        ("filter", .filter("")),
        ("theme light", .theme("light")),
        ("  HELP ", .help),
        ("quit", .quit),
    ])
    func parses(line: String, expected: ConsoleCommand) throws {
        #expect(try CommandParser.parse(line).get() == expected)
    }

    @Test(arguments: [
        ("", "empty command; try 'help'"),
        ("fly away", "unknown command 'fly'; try 'help'"),
        ("get", "usage: get KEY"),
        ("set k", "usage: set KEY VALUE [EXPIRE]"),
        ("set k v soon", "EXPIRE must be a positive number of seconds, not 'soon'"),
        ("ping 10.0.0.1", "'10.0.0.1' is not HOST:PORT (IPv4 address, port 1-65535)"),
        ("ping 10.0.0.1:99999", "'10.0.0.1:99999' is not HOST:PORT (IPv4 address, port 1-65535)"),
        ("layer x", "layer must be a number 0 or more, not 'x'"),
        ("set k \"unclosed", "missing closing \""),
        ("get \u{1b}[2J x", "usage: get KEY"),
        ("\u{1b}]0;x", "unknown command '\\x1b]0;x'; try 'help'"),
    ])
    func reportsOneClearLine(line: String, message: String) {
        guard case .failure(let f) = CommandParser.parse(line) else {
            Issue.record("expected a failure for \(line)")
            return
        }
        #expect(f.message == message)
    }

    @Test func networkAndWriteClassification() {
        #expect(ConsoleCommand.get(key: "k").isNetworkCommand)
        #expect(!ConsoleCommand.layer(1).isNetworkCommand)
        #expect(ConsoleCommand.set(key: "k", value: "v", expireSeconds: nil).writes)
        #expect(!ConsoleCommand.get(key: "k").writes)
    }
}
