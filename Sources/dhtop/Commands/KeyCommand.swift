import ArgumentParser
import BitDustRecords
import DHTWire
import NodeAPI

/// `dhtop key TYPE PARTS…`: prints the BitDust key string of a record (docs/protocol.md §12) and its DHT key
/// `sha1(utf8(string))`, for every record type, current and legacy. Offline; exit 0, or 2 with
/// the type's usage line when the parts do not make a key.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print the BitDust key string and DHT key of a record.",
        discussion: "Types and their parts:\n" + RecordType.usageText
    )

    @Argument(
        help:
            "The record type (suppliers, identity, message_broker, nickname, bismuth_identity_request, skip_validation, nodeState, address, incoming, customer_supplier)."
    )
    var type: String

    @Argument(help: "The key parts the type needs (see below).")
    var parts: [String] = []

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() throws {
        let key = try Self.parseKey(type: type, parts: parts)
        if json {
            let o = JSONFields([
                ("type", .string(key.type.rawValue)), ("key_string", .string(key.string)),
                ("key_hash", .string(key.hash.hex)), ("json_type", .text(key.type.jsonTypeName)),
                ("legacy", .bool(key.type.isLegacy))
            ])
            Output.line(o.object.jsonText)
        } else {
            Output.line(key.string)
            Output.line(key.hash.hex)
        }
    }

    /// Parses a record key for any record command; bad input is a usage error (exit 2) whose one
    /// line names the problem and the type's usage.
    static func parseKey(type: String, parts: [String]) throws -> RecordKey {
        let t = try recordType(type)
        do {
            return try RecordKey.parse(type: t, parts: parts)
        } catch {
            switch error {
            case .missingPart, .extraParts: throw ValidationError(error.description)
            default: throw ValidationError("\(error.description); usage: \(t.usage)")
            }
        }
    }

    /// The record type named `name`; on failure prints the known types and throws a usage error.
    static func recordType(_ name: String) throws -> RecordType {
        if let t = RecordType(name: name) { return t }
        Output.note("known record types:\n" + RecordType.usageText)
        throw ValidationError("unknown record type '\(name)'")
    }
}
