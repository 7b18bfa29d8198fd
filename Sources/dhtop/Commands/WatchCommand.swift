import ArgumentParser
import BitDustRecords
import NodeAPI

/// `dhtop watch KEY` (or `--record TYPE PARTS…`): polls the key with backoff and prints the
/// value when first found and at each change (which replica, revision, when), until `--count`
/// reports. Exit 0 when the value was seen, 1 otherwise.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Report a key's value when it is first found and at each change.",
        discussion: """
            Reads every copy of the key (collect-all findValue) every --interval seconds; while \
            nothing changes the wait doubles, up to 8 times the interval, and falls back at each \
            change. Each report is one line — found / changed / gone, the time, the revision of \
            a BitDust record, the replica that gave it, the value — or with --json one JSON \
            object. Ends after --count reports (the first value found is the first report) or \
            after --seconds (default 600); --timeout bounds the join.
            """
    )

    @Argument(help: ArgumentHelp("The key (hashed as BitDust does), or with --record the record's TYPE and PARTS.", valueName: "key"))
    var words: [String]

    @Flag(name: .customLong("raw-key"), help: "KEY is 40 hex digits, used as is.")
    var rawKey = false

    @Flag(help: "Watch a BitDust record: the words are TYPE PARTS… (as for `get --record`).")
    var record = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds between polls at first (2-3600).", valueName: "seconds"))
    var interval: Int = ReachLimits.watchDefaultInterval

    @Option(parsing: .unconditional, help: ArgumentHelp("Reports before it ends (1-100000).", valueName: "n"))
    var count: Int = 1

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many seconds (10-86400).", valueName: "seconds"))
    var seconds: Int = ReachLimits.watchDefaultSeconds

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        try NumberCheck.check(interval, "--interval", ReachLimits.watchInterval)
        try NumberCheck.check(count, "--count", ReachLimits.watchCount)
        try NumberCheck.check(seconds, "--seconds", ReachLimits.watchSeconds)
        _ = try target
    }

    var target: WatchTarget {
        get throws {
            if record {
                guard let name = words.first, let type = RecordType(name: name) else {
                    throw ValidationError("--record needs a record type: " + RecordType.allCases.map(\.rawValue).joined(separator: " "))
                }
                let parts = Array(words.dropFirst())
                do { _ = try RecordKey.parse(type: type, parts: parts) } catch { throw ValidationError(error.description) }
                return .record(type: type, parts: parts)
            }
            guard words.count == 1 else { throw ValidationError("watch takes one KEY (or --record TYPE PARTS…)") }
            do throws(KeyArgument.Invalid) { return .key(try KeyArgument(words[0], raw: rawKey)) } catch {
                throw ValidationError(error.description)
            }
        }
    }

    func run() async throws {
        try await StreamingOneShot.run(
            .watch(try target, WatchOptions(intervalSeconds: interval, count: count, seconds: seconds)), options: common,
            timeout: common.timeout + Double(seconds), listField: "history")
    }
}
