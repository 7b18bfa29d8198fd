import ArgumentParser
import DHTBench
import DHTSimulation

#if canImport(Glibc)
    import Glibc
#endif

/// `dhtop bench --simulate N`: runs the simulated network (DHTSimulation) and prints its report
/// as text, or as one JSON object with `--json`. Progress goes to stderr once per simulated hour.
/// Runs on the calling thread and `--threads` - 1 more (default: one per core from 5,000 nodes); reads the wall
/// clock only to time the run.
enum SimulateBench {
    /// The engines iterate dictionaries, whose order Swift seeds per table unless
    /// `SWIFT_DETERMINISTIC_HASHING` is set when the process starts: without it the same seed
    /// would not give the same figures. Re-executes this command with it set (once).
    static func deterministicHashing() {
        guard getenv("SWIFT_DETERMINISTIC_HASHING") == nil else { return }
        setenv("SWIFT_DETERMINISTIC_HASHING", "1", 1)
        let args = CommandLine.arguments
        var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        Output.note("cannot re-execute with SWIFT_DETERMINISTIC_HASHING=1 (\(errno)); figures may differ between runs of one seed")
    }

    static func validate(_ bench: BenchCommand) throws {
        guard let n = bench.simulate else {
            if bench.json { throw ValidationError("--json goes with --simulate") }
            if bench.threads != nil { throw ValidationError("--threads goes with --simulate") }
            return
        }
        try NumberCheck.check(n, "--simulate", 2...100_000)
        try NumberCheck.check(bench.loss, "--loss", 0...0.5)
        try NumberCheck.check(bench.churn, "--churn", 0...1)
        try NumberCheck.positive(bench.hours, "--hours", max: 168)
        if let threads = bench.threads { try NumberCheck.check(threads, "--threads", 1...64) }
    }

    static func run(_ bench: BenchCommand, nodes: Int) {
        deterministicHashing()
        let config = SimulationBenchmark.configuration(
            nodes: nodes, loss: bench.loss, churn: bench.churn, hours: bench.hours, seed: bench.seed,
            threads: bench.threads)
        if !bench.json {
            Output.line(
                "simulating \(nodes) nodes for \(Format.fixed(bench.hours, 1)) h: loss \(bench.loss), churn \(bench.churn), seed \(bench.seed), \(config.threads) threads"
            )
        }
        let report = SimulationBenchmark.run(config) { Output.note($0) }
        if bench.json {
            Output.line(report.json)
            return
        }
        for line in report.lines { Output.line(line) }
        let alive = report.number("alive_at_end") ?? 0
        let estimate = report.number("size_estimate_median") ?? .nan
        let error = alive > 0 ? (estimate - alive) / alive * 100 : .nan
        Output.line("network size: estimated \(Format.fixed(estimate, 0)) (median over alive nodes) for \(Int(alive)) alive: \(Format.fixed(error, 1)) %")
    }
}
