import ArgumentParser
import DHTBench
import DHTRuntime
import DHTWire
import Foundation

/// `dhtop bench`: prints performance figures measured on 127.0.0.1 (codec, RPCs served per
/// second, lookup latency, idle memory). Figures only: nothing is asserted, nothing leaves the
/// machine.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Print performance figures measured on 127.0.0.1.",
        discussion: "Build with -c release for meaningful figures. The machine's load changes them: compare runs side by side."
    )

    @Option(help: "Seconds per throughput measurement.")
    var seconds: Double = 3

    @Option(help: "Requests kept outstanding by the load generator.")
    var outstanding: Int = 32

    @Option(help: "Nodes in the loopback network for the lookup latency figure.")
    var nodes: Int = 50

    @Option(help: ArgumentHelp("Only load a running node at this loopback address (ours or a reference node) with pings and findValues.",
                               valueName: "127.0.0.1:port"))
    var target: String?

    @Flag(help: "Only the console figures: frame build time with 10,000 keys, 160 buckets, 1,000 events/s.")
    var console = false

    func validate() throws {
        guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be between 0 and 60") }
        guard (1...1024).contains(outstanding) else { throw ValidationError("--outstanding must be between 1 and 1024") }
        guard (2...200).contains(nodes) else { throw ValidationError("--nodes must be between 2 and 200") }
        if let target {
            guard let e = Endpoint(target), e.address >> 24 == 127 else {
                throw ValidationError("--target must be a loopback address 127.x.x.x:PORT, got '\(target)'")
            }
            _ = e
        }
    }

    func run() async throws {
        if console { return ConsoleBench.run { Output.line($0) } }
        var bench = NodeBenchmarks()
        bench.seconds = seconds
        bench.outstanding = outstanding
        bench.networkSize = nodes
        bench.report = { Output.line($0) }
        if let target, let endpoint = Endpoint(target) {
            try bench.rpcThroughput(of: endpoint)
            return
        }
        bench.codec()
        try await bench.rpcThroughput()
        try await bench.lookupLatency()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        try bench.idleMemory(executable: executable)
    }
}
