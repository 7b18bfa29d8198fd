import ArgumentParser
import NodeAPI

/// `dhtop discover --layer N`: BitDust's service discovery (spec §7) — lookups of random keys on
/// the layer, then `request("idurl")` (`"location"` on layer 9) to each node found, until
/// `--count` providers or the time budget. Prints each provider as found, then a summary.
/// Exit 0 when a provider was found, 1 otherwise.
struct DiscoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Find the nodes that offer a service on a layer (BitDust's lookup).",
        discussion: """
            Joins LAYER through the seed (unattached), looks up random keys there and asks every \
            node found for its node data: `idurl` (on layer 9, `location`). Prints one line per \
            provider (id, address, answer) as it is found, or with --json one JSON object per \
            provider, then a summary. Stops after --count providers, --seconds, 16 lookups or \
            256 requests, or when three lookups in a row meet no new node.
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("Providers to find (1-100).", valueName: "n"))
    var count: Int = ReachLimits.discoverDefaultCount

    @Option(parsing: .unconditional, help: ArgumentHelp("Time budget in seconds (1-600).", valueName: "seconds"))
    var seconds: Int = ReachLimits.discoverDefaultSeconds

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        try NumberCheck.check(count, "--count", ReachLimits.discoverCount)
        try NumberCheck.check(seconds, "--seconds", ReachLimits.discoverSeconds)
    }

    func run() async throws {
        try await StreamingOneShot.run(
            .discover(DiscoverOptions(count: count, seconds: seconds)), options: common,
            timeout: common.timeout + Double(seconds), listField: "providers")
    }
}
