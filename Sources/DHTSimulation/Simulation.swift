import DHTCore
import DHTWire

/// Many `DHTEngine`s on one simulated network: a priority queue of deliveries (per-pair RTTs
/// from `LatencyModel`, datagram loss), one timer per engine, churn and a workload of joins,
/// stores, finds and gets, measured against what the simulation knows to be true.
///
/// Fully deterministic for a configuration and seed: events due at the same instant run in the
/// order they were scheduled. Never reads a clock (time is simulated); not thread-safe: drive it
/// from one thread.
public final class Simulation {
    public let configuration: SimulationConfiguration
    public let latency: LatencyModel
    /// Simulated time, nanoseconds since the Unix epoch.
    public internal(set) var now: Int64
    let start: Int64
    var nodes: [SimNode]
    var deliveries = EventHeap<Delivery>()
    var timers: TimerHeap
    var agenda = EventHeap<Action>()
    /// Loss, jitter, and the workload's choices.
    let random: SeededRandom
    let seedEndpoints: [Endpoint]
    var nextOperation: UInt64 = 1
    var pending: [UInt64: PendingOperation] = [:]
    var keys: [StoredKey] = []
    var metrics = SimulationMetrics()
    /// Final-check gets not finished yet.
    var finalOutstanding = 0
    /// Called with each delivery as it happens (tests of the delivery order).
    public var onDelivery: ((DeliveryTrace) -> Void)?
    /// Called once per simulated hour with a line of progress.
    public var progress: ((String) -> Void)?
    /// Explains each inexact find (`traceMisses`); nil: off.
    var missTrace: MissTracer?

    /// Reports, for each find that does not return exactly the true k closest, why (one line
    /// per missed node), and the misses by cause at the end of the run.
    public func traceMisses(_ report: @escaping (String) -> Void) {
        missTrace = MissTracer(nodes: nodes.count, report: report)
    }

    public init(_ configuration: SimulationConfiguration) {
        precondition(configuration.nodes >= 2 && configuration.nodes < 0xFF_FFFF, "2 to 16M nodes")
        self.configuration = configuration
        self.latency = LatencyModel(nodes: configuration.nodes, seed: configuration.seed, medianRTT: configuration.medianRTT)
        self.start = Timestamp(unixSeconds: 1_800_000_000).nanoseconds
        self.now = start
        self.random = SeededRandom(seed: Hash.mix(configuration.seed, 0x5eed))
        let idRandom = SeededRandom(seed: Hash.mix(configuration.seed, 0x1d5))
        self.nodes = (0..<configuration.nodes).map { _ in SimNode(id: idRandom.nodeID()) }
        self.timers = TimerHeap(nodes: configuration.nodes)
        self.seedEndpoints = (0..<min(configuration.seeds, configuration.nodes)).map { Self.endpoint(of: $0) }
    }

    /// Node `index`'s address: 10.x.y.z (index + 1), port 14441.
    public static func endpoint(of index: Int) -> Endpoint {
        Endpoint(address: 0x0a00_0000 | UInt32(index + 1), port: 14441)
    }

    /// The node index an address belongs to, if any.
    func index(of endpoint: Endpoint) -> Int? {
        guard endpoint.address >> 24 == 0x0a, endpoint.port == 14441 else { return nil }
        let i = Int(endpoint.address & 0xFF_FFFF) - 1
        return i >= 0 && i < nodes.count ? i : nil
    }

    /// Runs the whole configured workload and the final read check, and reports.
    public func run() -> SimulationReport {
        scheduleWorkload()
        let end = start + configuration.duration.nanoseconds
        var nextHour = start + 3_600_000_000_000
        while let t = nextEventTime(), t <= end {
            if t >= nextHour {
                progress?(progressLine())
                nextHour += 3_600_000_000_000
            }
            step()
        }
        now = end
        if let line = missSummary { missTrace?.report(line) }
        finalCheck()
        return report()
    }

    /// The time of the next event of any kind.
    func nextEventTime() -> Int64? {
        let t = min(deliveries.nextTime ?? .max, timers.top?.at ?? .max, agenda.nextTime ?? .max)
        return t == .max ? nil : t
    }

    /// Runs the next event: deliveries first, then timers, then the agenda, at equal times.
    func step() {
        let d = deliveries.nextTime ?? .max
        let t = timers.top?.at ?? .max
        let a = agenda.nextTime ?? .max
        if d <= t && d <= a, let e = deliveries.pop() {
            now = max(now, e.at)
            deliver(e.payload)
        } else if t <= a, let (node, at) = timers.top {
            now = max(now, at)
            guard let engine = nodes[node].engine else {
                timers.set(node, at: nil)
                return
            }
            apply(engine.tick(now: Timestamp(nanoseconds: now)), on: node)
        } else if let e = agenda.pop() {
            now = max(now, e.at)
            perform(e.payload)
        }
    }

    /// Runs events up to `time` (inclusive), then sets the clock to it.
    public func run(until time: Int64) {
        while let t = nextEventTime(), t <= time { step() }
        now = max(now, time)
    }

    func progressLine() -> String {
        let hours = Double(now - start) / 3.6e12
        let online = nodes.lazy.filter(\.online).count
        return "simulated \(Format.fixed(hours, 1)) h: \(online) nodes online, \(metrics.datagramsSent) datagrams, "
            + "\(metrics.finds.count) finds, \(metrics.gets.count) gets, \(keys.count) keys"
    }
}

/// One simulated node: its engine while online, and what it keeps on disk while offline.
struct SimNode {
    var engine: DHTEngine?
    let id: NodeID
    var online: Bool { engine != nil }
    /// Its join operation completed (reset at each return).
    var joined = false
    var departures = 0
    var gone = false
    var restarts: UInt64 = 0
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
