import ArgumentParser
import BitDustRecords
import FoundationEssentials
import NodeAPI

/// `dhtop set KEY VALUE`: an iterative store from a throwaway node, run and printed as at the
/// console's prompt (`NodeCommand.set`). VALUE is checked first as the prompt checks it
/// (`SetValue`: a usage error, exit 2, nothing sent, unless `--unchecked`); `--text WORDS…` stores
/// plain text as a skip_validation record. Exit 0 when at least one node answered OK; exit 1
/// otherwise, listing each node's refusal or timeout.
/// `dhtop set --record TYPE PARTS… FIELD=VALUE…`: builds the record as BitDust serializes it,
/// checks its rules locally (exit 1, nothing sent, when one fails), reads the network's current
/// revision, stores the next one, and names the rule behind each remote refusal. Exit 0 only when
/// no node refused (BitDust's `set_valid_data` success).
struct SetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Store a value in the DHT (or, with --record, a BitDust record) on the nodes closest to its key.",
        discussion: """
            VALUE must be a JSON object with a "type" field, as every BitDust node requires; it is checked \
            before anything is sent (--unchecked skips the check), e.g. \
            dhtop set greeting '{"type":"skip_validation","text":"hello"}'. For plain text, \
            dhtop set greeting --text hello world stores {"text":"hello world","type":"skip_validation"}.

            With --record, KEY is a record type, then its key parts, then FIELD=VALUE assignments (a VALUE \
            that parses as JSON is used as JSON, else as a string; suppliers=a,b is a list). key, type, \
            timestamp and revision are filled in. Types and their parts:
            """ + "\n" + RecordType.usageText
    )

    @OptionGroup var keyOptions: KeyOptions

    @Argument(
        help: "The value: a JSON object with a \"type\" field, e.g. '{\"type\":\"skip_validation\",\"text\":\"hello\"}' (with --text: plain words).")
    var value: String?

    @Argument(help: "With --record: more key parts, then FIELD=VALUE assignments; with --text: more words.")
    var rest: [String] = []

    @Flag(help: "Write a BitDust record: KEY is its type, then come its key parts and FIELD=VALUE fields.")
    var record = false

    @Flag(
        help: ArgumentHelp(
            "Store plain text: VALUE and the words after it, joined by spaces, as a skip_validation record {\"type\":\"skip_validation\",\"text\":…}."
        ))
    var text = false

    @Flag(help: "Send VALUE as given, without checking it first (nodes running BitDust's rule refuse anything but a JSON object with a \"type\").")
    var unchecked = false

    @Flag(
        name: .customLong("no-read"),
        help:
            "With --record: do not read the current value first (revision 0 unless revision=N is given); nodes holding a newer or different-typed value refuse."
    )
    var noRead = false

    @Flag(
        name: .customLong("bitdust-nickname"), help: "With --record nickname: fill nickname/position exactly as BitDust 0.1.24 does (its key-splitting quirk).")
    var bitdustNickname = false

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Lifetime in seconds; kept within 120-43200 (a note says when it was changed).", valueName: "seconds"))
    var expire: Int64 = 43_200

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        guard expire >= 1 else { throw ValidationError("--expire must be at least 1 second, not \(expire)") }
        if record {
            if keyOptions.rawKey { throw ValidationError("--raw-key cannot be combined with --record") }
            if text || unchecked { throw ValidationError("--text and --unchecked cannot be combined with --record") }
        } else {
            guard let value else { throw ValidationError(text ? "missing WORDS after --text" : "missing VALUE") }
            if !rest.isEmpty && !text { throw ValidationError("unexpected extra arguments \(rest); did you mean --record or --text?") }
            if noRead || bitdustNickname { throw ValidationError("--no-read and --bitdust-nickname need --record") }
            if text && unchecked { throw ValidationError("--text values need no check; drop --unchecked") }
            if !text && !unchecked {
                do throws(SetValue.Invalid) { try SetValue.check(value) } catch { throw ValidationError(error.description) }
            }
        }
    }

    /// What is stored: VALUE, or with `--text` the words as a skip_validation record.
    var storedValue: String? {
        guard let value else { return nil }
        return text ? SetValue.text(([value] + rest).joined(separator: " ")) : value
    }

    func run() async throws {
        let clamp = ExpireClamp(requested: expire)
        if let note = clamp.note { Output.note(note) }
        if record { return try await runRecord(clamp) }
        guard let value = storedValue else { throw ValidationError("missing VALUE") }
        try await OneShot.run(NodeAPI.NodeCommand.set(try keyOptions.argument, value: value, expireSeconds: expire), options: common)
    }

    /// `set --record`: usage errors (bad parts or assignments) exit 2, a rule the record breaks
    /// exits 1 before any node is started; the rest is `RecordWriteFlow` through the backend.
    func runRecord(_ clamp: ExpireClamp) async throws {
        let type = try KeyCommand.recordType(keyOptions.key)
        let (parts, assignments) = RecordWriteFlow.split((value.map { [$0] } ?? []) + rest)
        _ = try KeyCommand.parseKey(type: keyOptions.key, parts: parts)
        let options = NodeAPI.NodeCommand.RecordWriteOptions(
            expireSeconds: expire, readFirst: !noRead,
            nickname: bitdustNickname ? .bitdust : .intended)
        let command = NodeAPI.NodeCommand.setRecord(type: type, parts: parts, assignments: assignments, options: options)
        do throws(RecordBuilder.BuildError) {
            _ = try RecordWriteFlow(
                type: type, parts: parts, assignments: assignments, layer: common.layer, expireSeconds: expire,
                now: Int64(Date().timeIntervalSince1970), nickname: options.nickname)
        } catch {
            if case .badAssignment = error { throw ValidationError(error.description) }
            if case .key = error { throw ValidationError(error.description) }
            return try OneShot.print(
                CommandOutcome(recordRefused: error, context: command.contextFields(layer: common.layer)),
                json: common.json)
        }
        var outcome = try await OneShot.outcome(command, options: common.command, seeds: common.seedOptions, peers: [])
        clamp.annotate(&outcome)
        try OneShot.print(outcome, json: common.json)
    }
}
