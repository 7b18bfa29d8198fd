import DHTCore
import DHTWire

/// What a simulated run does: how many nodes, the network's loss and churn, how long, and the
/// workload. A value type. Every duration is simulated time.
public struct SimulationConfiguration: Sendable {
    /// Nodes in the network (the first `seeds` are the seed nodes, never leaving).
    public var nodes: Int
    /// The share of datagrams lost in transit.
    public var loss: Double = 0.02
    /// The share of (non-seed) nodes that churn: each leaves at a time drawn uniformly over the
    /// run and then alternates offline gaps and sessions (both Pareto, heavy-tailed); at each
    /// departure it never returns with probability `neverReturn`. The others stay up.
    public var churn: Double = 0.30
    /// How long the run lasts.
    public var duration: Duration = .seconds(86_400)
    public var seed: UInt64 = 1
    /// Threads to run on (the node partitions, at most one per node). Changes only how fast a
    /// run goes, never its results.
    public var threads: Int = 1
    /// Seed nodes: node 0 starts the network, the others join through it; every other node
    /// joins through all of them.
    public var seeds: Int = 4
    /// Joins are spread over this window from the start (at most a sixth of the run).
    public var joinWindow: Duration = .seconds(600)
    /// Sessions of a churning node: Pareto with this minimum and shape (median ≈ 32 min).
    public var sessionMinimum: Duration = .seconds(1200)
    public var sessionShape: Double = 1.5
    /// Offline gaps: Pareto with this minimum and shape (median ≈ 8 min).
    public var offlineMinimum: Duration = .seconds(300)
    public var offlineShape: Double = 1.5
    /// The chance that a departure is for good.
    public var neverReturn: Double = 0.2
    /// Measured findNode lookups (random node, random target), per node per hour of run, at
    /// least `minimumOperations`; gets likewise. Stores: one key per node, at least
    /// `minimumOperations`, spread over the run.
    public var findsPerNodeHour: Double = 1.0 / 12
    public var getsPerNodeHour: Double = 1.0 / 12
    public var minimumOperations: Int = 100
    /// Lifetime of every stored key (the protocol's maximum, 12 h).
    public var expireSeconds: Int64 = 43_200
    /// The median round-trip time of the latency model.
    public var medianRTT: Duration = .milliseconds(80)
    /// The engines' configuration: the product's defaults, except housekeeping every 60 s
    /// instead of every second (call and lookup timers stay exact; the expiry sweep runs every
    /// 60 s and the refresh check every 120 s in the product too: `10000 --hours 1.2` gave the
    /// same JSON at 10, 30 and 60 s, 2026-11-28) and no per-source rate limit (every node has
    /// its own address; it would only cost memory).
    public var engine: EngineConfiguration = {
        var c = EngineConfiguration()
        c.maintenanceInterval = .seconds(60)
        c.rateLimit = nil
        return c
    }()
    /// The store rule every engine runs (the host injects BitDust's).
    public var storeRule: StoreRule = StoreRules.acceptAll
    /// A lookup termination rule injected into every engine (nil: the product's, true Kademlia).
    public var lookupTermination: (any LookupTerminationPolicy)?

    public init(nodes: Int) { self.nodes = nodes }

    /// Finds or gets to run for `ratePerNodeHour`.
    func operations(_ ratePerNodeHour: Double) -> Int {
        max(minimumOperations, Int(ratePerNodeHour * Double(nodes) * duration.seconds / 3600))
    }

    var effectiveJoinWindow: Duration { min(joinWindow, duration / 6) }
}
