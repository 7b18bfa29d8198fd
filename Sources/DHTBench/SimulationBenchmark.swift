import BitDustRecords
import DHTCore
import DHTSimulation

#if canImport(Glibc)
    import Glibc
#endif

/// `dhtop bench --simulate N`: one run of the simulated network with BitDust's store rule on
/// every node, timed on the wall clock. Reads the wall clock (`ContinuousClock`) around the run
/// only; runs on the caller's thread.
public enum SimulationBenchmark {
    /// The run's configuration: the given size, loss, churn, hours and seed, BitDust's store
    /// rule, `termination` injected into every engine (nil: the product's), on `threads`
    /// threads (nil: one per core from `parallelNodes` nodes, else one; the results are the
    /// same on any number).
    public static func configuration(
        nodes: Int, loss: Double, churn: Double, hours: Double, seed: UInt64,
        termination: (any LookupTerminationPolicy)? = nil, threads: Int? = nil
    ) -> SimulationConfiguration {
        var c = SimulationConfiguration(nodes: nodes)
        c.loss = loss
        c.churn = churn
        c.duration = .nanoseconds(Int64(hours * 3600 * 1e9))
        c.seed = seed
        c.storeRule = BitDustStoreRule.rule
        c.lookupTermination = termination
        c.threads = threads ?? (nodes >= parallelNodes ? cores : 1)
        return c
    }

    /// The network size from which the default is one thread per core: below it windows hold
    /// too few events for a second thread to pay (1,000 nodes, 2 h: 7.4 s on one thread, 9.9 s
    /// on two; 10,000 nodes, 0.4 h: 62 s and 52 s, 2026-11-28).
    public static let parallelNodes = 5_000

    /// Cores online (at least 1).
    public static var cores: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }

    /// This process's CPU time (on a shared machine, what the run cost apart from waiting).
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Runs `configuration` and returns its report with `wall_seconds` and `cpu_seconds` filled in; `progress`
    /// gets a line per simulated hour.
    public static func run(_ configuration: SimulationConfiguration, progress: ((String) -> Void)? = nil) -> SimulationReport {
        let clock = ContinuousClock()
        let started = clock.now
        // DHTOP_SIM_HUGEPAGES=0: leave the memory in 4 KiB pages (comparison).
        let advisor = HugePageAdvisor.kernelWantsAdvice && getenv("DHTOP_SIM_HUGEPAGES").map { String(cString: $0) } != "0" ? HugePageAdvisor() : nil
        advisor?.start()
        defer { advisor?.stop() }
        let simulation = Simulation(configuration)
        simulation.progress = progress
        // DHTOP_SIM_MISSES=1: explain every find that misses one of the true k closest (stderr).
        if getenv("DHTOP_SIM_MISSES") != nil, let progress { simulation.traceMisses(progress) }
        // DHTOP_SIM_PARALLEL_EVENTS=N: windows after one of fewer events run on one thread (tuning).
        if let v = getenv("DHTOP_SIM_PARALLEL_EVENTS").flatMap({ Int(String(cString: $0)) }), v >= 0 {
            simulation.parallelMinimumEvents = v
        }
        // DHTOP_SIM_STRETCHES=0: meet at every window instead (comparison).
        if let v = getenv("DHTOP_SIM_STRETCHES"), String(cString: v) == "0" { simulation.runsInStretches = false }
        let cpuStart = cpuSeconds()
        let report = simulation.run()
        let wall = clock.now - started
        return report.setting("wall_seconds", .number(Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18, digits: 1))
            .setting("cpu_seconds", .number(cpuSeconds() - cpuStart, digits: 1))
    }
}
