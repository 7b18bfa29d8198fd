import ArgumentParser
import NodeAPI

/// `dhtop crawl`: walks the layer's whole network and prints each node (id, address,
/// responsive or not, layers it answers on), then a summary with the network-size estimate.
/// Exit 0 when a node answered, 1 otherwise.
struct CrawlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crawl",
        abstract: "Walk the whole network of a layer and list every node.",
        discussion: """
            Joins through the seed, then visits every node met once: findNode towards a random \
            id in each of its buckets until three in a row come back empty, and a ping on each \
            other layer (0-9) to see where it answers. Calls start at most --rate a second \
            (default 20: polite), 16 visits at a time, at most --max-nodes nodes. Prints one \
            line per node as it is visited, or with --json one JSON object per node, then a \
            summary: nodes found, responsive, RPCs, time, and the network size estimated by \
            capture-recapture between two halves of the visits, with its 95% interval. Ends \
            when no node is left to visit, or at --timeout (default here: 3600 s).
            """
    )

    @Option(parsing: .unconditional, help: ArgumentHelp("RPCs started per second (1-500).", valueName: "r"))
    var rate: Int = ReachLimits.crawlDefaultRate

    @Option(name: .customLong("max-nodes"), parsing: .unconditional, help: ArgumentHelp("Nodes kept at most (1-10000).", valueName: "n"))
    var maxNodes: Int = ReachLimits.crawlDefaultMaxNodes

    @OptionGroup var common: OneShotOptions

    func validate() throws {
        try NumberCheck.check(rate, "--rate", ReachLimits.crawlRate)
        try NumberCheck.check(maxNodes, "--max-nodes", ReachLimits.crawlMaxNodes)
    }

    func run() async throws {
        try await StreamingOneShot.run(
            .crawl(CrawlOptions(rate: rate, maxNodes: maxNodes)), options: common, timeout: common.timeout == 30 ? 3600 : common.timeout,
            extraLayers: Array(0...9), listField: "nodes")
    }
}
