import ArgumentParser
import DHTBench
import DHTRuntime
import DHTWire
import FoundationEssentials
import NodeAPI

/// `dhtop bench`: prints performance figures measured on 127.0.0.1 (codec, RPCs served per
/// second next to an echo server's floor, the idle control socket's cost, lookup latency, idle
/// memory). Figures only: nothing is asserted, nothing leaves the
/// machine.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print performance figures measured on 127.0.0.1.",
        discussion: "Build with -c release for meaningful figures. The machine's load changes them: compare runs side by side."
    )

    @Option(parsing: .unconditional, help: "Seconds per throughput measurement (at most 60).")
    var seconds: Double = 3

    @Option(parsing: .unconditional, help: "Requests kept outstanding by the load generator (1-1024).")
    var outstanding: Int = 32

    @Option(parsing: .unconditional, help: "Nodes in the loopback network for the lookup latency figure (2-200).")
    var nodes: Int = 50

    @Option(
        help: ArgumentHelp(
            "Only load a running node at this loopback address (ours or a reference node) with pings and findValues.",
            valueName: "127.0.0.1:port"))
    var target: String?

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Only simulate a network of N nodes (2-100000) in this process: latency, loss, churn, joins, stores, gets over simulated hours (see --loss, --churn, --hours, --seed).",
            valueName: "N"))
    var simulate: Int?

    @Option(parsing: .unconditional, help: "With --simulate: the share of datagrams lost (0-0.5).")
    var loss: Double = 0.02

    @Option(parsing: .unconditional, help: "With --simulate: the share of nodes that leave and return, some for good (0-1).")
    var churn: Double = 0.30

    @Option(parsing: .unconditional, help: "With --simulate: simulated hours (at most 168).")
    var hours: Double = 24

    @Option(parsing: .unconditional, help: "With --simulate: the seed; the same seed gives the same figures.")
    var seed: UInt64 = 1

    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "With --simulate: threads to run on (1-64; default one per core from \(SimulationBenchmark.parallelNodes) nodes, else 1); the figures are the same on any number."
        ))
    var threads: Int?

    @Flag(help: "With --simulate: one JSON object instead of text.")
    var json = false

    @Flag(help: "Only the console figures: frame build time with 10,000 keys, 160 buckets, 1,000 events/s.")
    var console = false

    @Flag(help: "Only the serving figures: ping, findValue and store next to the echo floor, and the idle control socket's cost.")
    var serving = false

    func validate() throws {
        try NumberCheck.positive(seconds, "--seconds", max: 60)
        try NumberCheck.check(outstanding, "--outstanding", 1...1024)
        try NumberCheck.check(nodes, "--nodes", 2...200)
        try SimulateBench.validate(self)
        if let target {
            guard let e = Endpoint(target), e.address >> 24 == 127 else {
                throw ValidationError("--target must be a loopback address 127.x.x.x:PORT, got '\(target)'")
            }
            _ = e
        }
    }

    func run() async throws {
        if console { return ConsoleBench.run { Output.line($0) } }
        if let simulate { return SimulateBench.run(self, nodes: simulate) }
        var bench = NodeBenchmarks()
        bench.seconds = seconds
        bench.outstanding = outstanding
        bench.networkSize = nodes
        bench.report = { Output.line($0) }
        if let target, let endpoint = Endpoint(target) {
            try await Self.requireAnswer(from: endpoint)
            try bench.rpcThroughput(of: endpoint)
            return
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        if serving {
            try await bench.rpcThroughput()
            try bench.controlSocketCost(executable: executable)
            return
        }
        bench.codec()
        try await bench.rpcThroughput()
        try bench.controlSocketCost(executable: executable)
        try await bench.lookupLatency()
        try bench.idleMemory(executable: executable)
    }

    /// Pings `target` once before loading it: when nothing answers, says so and exits 1 rather
    /// than printing figures of zero.
    static func requireAnswer(from target: Endpoint, timeout: Double = 3) async throws {
        let outcome: CommandOutcome
        do {
            let session = try EphemeralSession(seeds: [], peers: [target], layer: 0, timeout: timeout)
            defer { session.close() }
            outcome = await session.run(.ping(target))
        } catch {
            Output.fail("cannot start a node to reach \(target): \(error)")
            throw ExitCode(DHTop.failureStatus)
        }
        guard outcome.succeeded else {
            Output.fail("nothing answers at \(target) (ping: \(outcome.summary)); is a DHT node running there?")
            throw ExitCode(DHTop.failureStatus)
        }
    }
}
