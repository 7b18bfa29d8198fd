import DHTCore
import DHTWire
import Foundation
import NodeAPI
import Testing

/// The control socket's explicit form of commands and outcomes.
@Suite struct NodeCommandWireTests {
    @Test func everyCommandRoundTrips() throws {
        let hex = String(repeating: "12", count: 20)
        let commands: [NodeCommand] = [
            .get(try KeyArgument("k")), .get(try KeyArgument(hex, raw: true)),
            .set(try KeyArgument("k"), value: "{\"a\":1}", expireSeconds: 60), .set(try KeyArgument("k"), value: "v", expireSeconds: nil),
            .delete(try KeyArgument("k")), .ping(Endpoint(host: "127.0.0.1", port: 1)!), .join(Endpoint(host: "10.0.0.1", port: 14441)!),
            .find(try KeyArgument.findTarget(hex)), .find(try KeyArgument.findTarget("nodeState")),
            .getRecord(type: .nodeState, parts: []),
            .setRecord(
                type: .skipValidation, parts: ["x"], assignments: ["a=1"],
                options: .init(expireSeconds: 300, readFirst: false, nickname: .bitdust))
        ]
        for command in commands {
            let data = try JSONEncoder().encode(command)
            #expect(try JSONDecoder().decode(NodeCommand.self, from: data) == command, "\(String(decoding: data, as: UTF8.self))")
        }
    }

    @Test func theWireNamesAreExplicit() throws {
        let data = try JSONEncoder().encode(NodeCommand.get(try KeyArgument("k")))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["verb"] as? String == "get" && object["key"] as? String == "k" && object["raw_key"] as? Bool == false)
    }

    @Test(arguments: [
        #"{"verb":"get","key":"x","raw_key":true}"#, #"{"verb":"ping","address":"nowhere"}"#,
        #"{"verb":"get_record","type":"suppliers","parts":[]}"#, #"{"verb":"fly"}"#
    ])
    func invalidCommandsAreRefused(text: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(NodeCommand.self, from: Data(text.utf8)) }
    }

    @Test func outcomesRoundTripWithTheirJSON() throws {
        var o = CommandOutcome(command: "get k", succeeded: false, summary: "not found", detail: ["a"], rawDetail: ["b"])
        o.fields["value"] = .object([("n", .number("1.50"))])
        let back = try JSONDecoder().decode(CommandOutcome.self, from: JSONEncoder().encode(o))
        #expect(back == o)
        #expect(back.json.jsonText == o.json.jsonText)
    }
}
