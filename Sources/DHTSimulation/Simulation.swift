import DHTCore
import DHTWire

/// Many `DHTEngine`s on one simulated network: per-pair RTTs from `LatencyModel`, datagram
/// loss, one timer per engine, churn and a workload of joins, stores, finds and gets, measured
/// against what the simulation knows to be true.
///
/// A conservative parallel discrete-event simulation: the nodes are split into partitions
/// (node i in partition i mod count; one partition for one thread, `partitionsPerThread` per
/// thread otherwise). Between two actions of the workload the threads run their partitions
/// without meeting, each up to the slowest other's clock plus `LatencyModel.minimumOneWay`
/// (`StretchCrew`); or, with `runsInStretches` off and in the final read check, time advances in
/// windows no longer than that delay, each partition run by whichever thread takes it
/// (`WindowCrew`). Either way nothing sent can arrive before its sender's clock plus that
/// delay. The workload (joins, churn, operations, the oracle, the metrics) runs on the calling
/// thread between stretches or windows. Results
/// depend only on the configuration and seed, never on the thread count: deliveries at one
/// instant go in (time, sender, sender's send sequence) order, loss and jitter are hashed from
/// (seed, sender, sequence), completions are merged in (time, node) order. Never reads a clock
/// (time is simulated). Drive it from one thread.
public final class Simulation {
    public let configuration: SimulationConfiguration
    public let latency: LatencyModel
    /// Simulated time, nanoseconds since the Unix epoch.
    public internal(set) var now: Int64
    let start: Int64
    let nodes: [SimNode]
    /// `nodes[i].id` in one contiguous array: the oracle scans every id per find and get, and
    /// reading them through the node objects would miss the cache once per node.
    let ids: [NodeID]
    /// The partitions of the nodes; `partitions[i % count]` holds node i.
    let partitions: [SimulationPartition]
    var agenda = EventHeap<Action>()
    /// The workload's choices (loss and jitter are hashed per datagram instead).
    let random: SeededRandom
    let seedEndpoints: [Endpoint]
    var nextOperation: UInt64 = 1
    var pending: [UInt64: PendingOperation] = [:]
    var keys: [StoredKey] = []
    /// Indexes into `keys` in the order they were stored (so by `storedAt`); those before
    /// `liveFrom` are too old to be read (`get`).
    var storedOrder: [Int32] = []
    var liveFrom = 0
    /// What the workload counts (the datagram counters live in the partitions).
    var metrics = SimulationMetrics()
    /// Final-check gets not finished yet.
    var finalOutstanding = 0
    /// The next simulated hour to report progress at.
    var nextProgress: Int64
    /// Windows with fewer events before them run on the calling thread alone (no effect on the
    /// results, only on the speed).
    public var parallelMinimumEvents = 4
    /// On several threads, run the stretches between agenda actions without a barrier at every
    /// window (`StretchCrew`); off, every window meets (`WindowCrew`). Same results either way.
    public var runsInStretches = true
    /// Deliveries and timers the last window ran.
    var lastWindowEvents = 0
    /// Called with each delivery as it happens (tests of the delivery order); setting it runs
    /// the simulation on one thread.
    public var onDelivery: ((DeliveryTrace) -> Void)? {
        didSet { partitions.forEach { $0.onDelivery = onDelivery } }
    }
    /// Called once per simulated hour with a line of progress.
    public var progress: ((String) -> Void)?
    /// Explains each inexact find (`traceMisses`); nil: off.
    var missTrace: MissTracer?

    /// Reports, for each find that does not return exactly the true k closest, why (one line
    /// per missed node), and the misses by cause at the end of the run. Runs the simulation on
    /// one thread (the tracer watches every datagram).
    public func traceMisses(_ report: @escaping (String) -> Void) {
        let tracer = MissTracer(nodes: nodes.count, report: report)
        missTrace = tracer
        partitions.forEach { $0.missTrace = tracer }
    }

    /// Threads the windows run on: the configured count, or 1 while a delivery callback or the
    /// miss tracer watches (neither is thread-safe). The results are the same either way.
    var threads: Int { onDelivery == nil && missTrace == nil ? threadCount : 1 }
    /// The configured thread count (at most one per partition).
    let threadCount: Int
    /// Partitions per thread when there are several threads: windows hold few events, and
    /// threads that take partitions as they go even out what a fixed split would not.
    static let partitionsPerThread = 4

    public init(_ configuration: SimulationConfiguration) {
        precondition(configuration.nodes >= 2 && configuration.nodes < 0xFF_FFFF, "2 to 16M nodes")
        self.configuration = configuration
        let latency = LatencyModel(nodes: configuration.nodes, seed: configuration.seed, medianRTT: configuration.medianRTT)
        self.latency = latency
        self.start = Timestamp(unixSeconds: 1_800_000_000).nanoseconds
        self.now = start
        self.nextProgress = start + 3_600_000_000_000
        self.random = SeededRandom(seed: Hash.mix(configuration.seed, 0x5eed))
        let idRandom = SeededRandom(seed: Hash.mix(configuration.seed, 0x1d5))
        let nodes = (0..<configuration.nodes).map { _ in SimNode(id: idRandom.nodeID()) }
        self.nodes = nodes
        self.ids = nodes.map(\.id)
        let seedEndpoints = (0..<min(configuration.seeds, configuration.nodes)).map { Self.endpoint(of: $0) }
        self.seedEndpoints = seedEndpoints
        let threadCount = max(1, min(configuration.threads, configuration.nodes))
        self.threadCount = threadCount
        let count = threadCount == 1 ? 1 : min(threadCount * Self.partitionsPerThread, configuration.nodes)
        self.partitions = (0..<count).map {
            SimulationPartition(
                index: $0, count: count, nodes: nodes, latency: latency, loss: configuration.loss,
                streamSeed: Hash.mix(configuration.seed, 0x5eed_d474), seedEndpoints: seedEndpoints)
        }
    }

    /// Node `index`'s address: 10.x.y.z (index + 1), port 14441.
    public static func endpoint(of index: Int) -> Endpoint {
        Endpoint(address: 0x0a00_0000 | UInt32(index + 1), port: 14441)
    }

    /// The node index an address belongs to, if any.
    func index(of endpoint: Endpoint) -> Int? { SimulationPartition.index(of: endpoint, nodes: nodes.count) }

    /// The partition holding node `i`, its clock set to now (for work done between windows).
    func partition(_ i: Int) -> SimulationPartition {
        let p = partitions[i % partitions.count]
        p.now = now
        return p
    }

    /// Runs the whole configured workload and the final read check, and reports.
    public func run() -> SimulationReport {
        scheduleWorkload()
        advanceAll(through: end)
        now = max(now, end)
        if let line = missSummary { missTrace?.report(line) }
        finalCheck()
        return report()
    }

    /// Runs events up to `time` (inclusive), then sets the clock to it.
    public func run(until time: Int64) {
        advanceAll(through: time)
        now = max(now, time)
    }

    func progressLine() -> String {
        let hours = Double(now - start) / 3.6e12
        let online = nodes.lazy.filter(\.online).count
        return "simulated \(Format.fixed(hours, 1)) h: \(online) nodes online, \(merged.datagramsSent) datagrams, "
            + "\(metrics.finds.count) finds, \(metrics.gets.count) gets, \(keys.count) keys"
    }

    /// The metrics with the partitions' datagram counters added in.
    var merged: SimulationMetrics {
        var m = metrics
        for p in partitions {
            m.datagramsSent += p.counters.sent
            m.datagramsLost += p.counters.lost
            m.datagramsDelivered += p.counters.delivered
            m.datagramsToOffline += p.counters.toOffline
            m.datagramsUnroutable += p.counters.unroutable
        }
        return m
    }
}

/// One simulated node: its engine while online, and what it keeps on disk while offline.
///
/// `@unchecked Sendable`: during a window only the thread of the node's partition touches it;
/// between windows only the simulation's calling thread does (the barrier orders the two).
final class SimNode: @unchecked Sendable {
    var engine: DHTEngine?
    let id: NodeID
    var online: Bool { engine != nil }
    /// Its join operation completed (reset at each return).
    var joined = false
    var departures = 0
    var gone = false
    var restarts: UInt64 = 0
    /// Datagrams it has sent: the sequence number of the next one.
    var sent: UInt64 = 0
    /// Records, published values and contacts kept across a restart.
    var savedRecords: [StoredRecord] = []
    var published: [[UInt8]: StoredRecord] = [:]
    var remembered: [Endpoint] = []

    init(id: NodeID) { self.id = id }
}

/// A datagram in transit.
struct Delivery {
    var from: Int32
    var to: Int32
    var sentAt: Int64
    var datagram: [UInt8]
}

/// A delivery as a test sees it.
public struct DeliveryTrace: Sendable, Hashable {
    public var from: Int
    public var to: Int
    public var sentAt: Int64
    public var deliveredAt: Int64
}

/// Something the workload does at a given time.
enum Action {
    case join(Int32)
    case leave(Int32)
    case back(Int32)
    case find
    case get
    case store(Int32)
}
