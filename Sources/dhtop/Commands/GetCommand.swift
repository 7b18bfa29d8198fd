import ArgumentParser
import BitDustRecords
import NodeAPI

/// `dhtop get KEY`: an iterative findValue from a throwaway node, run and printed as at the
/// console's prompt (`NodeCommand.get`). Exit 0 and the value when found; exit 1 when not found
/// or the lookup failed.
/// `dhtop get --record TYPE PARTS…`: reads a BitDust record the way BitDust's reader does (every
/// copy, highest revision wins), decodes it, and lists the replicas and where they disagree.
/// Exit 0 when a valid record was found; 1 when none was, or the winner breaks the type's rules.
struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Look up a value in the DHT (or, with --record, a decoded BitDust record).",
        discussion: "With --record, KEY is a record type followed by its key parts:\n" + RecordType.usageText
    )

    @OptionGroup var keyOptions: KeyOptions

    @Argument(help: "With --record: the key parts after the record type.")
    var parts: [String] = []

    @Flag(help: "Read a BitDust record: KEY is its type, then come its key parts (see `dhtop key`).")
    var record = false

    @Flag(help: "With --record: show the raw value instead of the decoded fields.")
    var raw = false

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        if !record && (!parts.isEmpty || raw) {
            throw ValidationError(raw ? "--raw needs --record" : "unexpected extra arguments \(parts); did you mean --record?")
        }
        if record && keyOptions.rawKey { throw ValidationError("--raw-key cannot be combined with --record") }
    }

    func run() async throws {
        if record {
            let key = try KeyCommand.parseKey(type: keyOptions.key, parts: parts)
            return try await OneShot.run(NodeAPI.NodeCommand.getRecord(type: key.type, parts: parts), options: common, raw: raw)
        }
        try await OneShot.run(NodeAPI.NodeCommand.get(try keyOptions.argument), options: common)
    }
}
