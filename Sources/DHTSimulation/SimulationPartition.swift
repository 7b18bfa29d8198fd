import DHTCore
import DHTWire

/// A completed operation, kept by a partition until the barrier.
struct Completion {
    var at: Int64
    var node: Int32
    /// Its place in the partition's list (a node's completions keep their order).
    var rank: Int32
    var operation: UInt64
    var result: OperationResult
}

/// The datagram counters of one partition.
struct DatagramCounters {
    var sent = 0
    var lost = 0
    var delivered = 0
    var toOffline = 0
    var unroutable = 0
}

/// The nodes i with i mod `count` == `index`: their deliveries and timers, run window by window
/// (`run(until:)`) on one thread, and what they produce for the rest of the simulation (datagrams
/// for other partitions, completed operations, counters), collected at the barrier.
///
/// `@unchecked Sendable`: within a window only this partition's thread touches it and its
/// nodes (engines included); between windows only the simulation's calling thread does, and the
/// barrier (`WindowCrew`) orders the two. Never reads a clock.
final class SimulationPartition: @unchecked Sendable {
    let index: Int
    let count: Int
    let nodes: [SimNode]
    let latency: LatencyModel
    let loss: Double
    /// Hashed with (sender, sequence) into each datagram's loss and jitter draw.
    let streamSeed: UInt64
    let seedEndpoints: [Endpoint]
    /// This partition's clock: the time of the event it is running.
    var now: Int64 = 0
    /// Deliveries to this partition's nodes, ordered by (time, sender, sender's sequence).
    var deliveries = EventHeap<Delivery>()
    var timers: TimerHeap
    /// Datagrams for the other partitions, by destination partition.
    var outbox: [[EventHeap<Delivery>.Entry]]
    var completions: [Completion] = []
    var counters = DatagramCounters()
    /// Deliveries and timers run so far (what a window cost, for `Simulation.advance`).
    var events = 0
    var onDelivery: ((DeliveryTrace) -> Void)?
    var missTrace: MissTracer?

    init(
        index: Int, count: Int, nodes: [SimNode], latency: LatencyModel, loss: Double, streamSeed: UInt64,
        seedEndpoints: [Endpoint]
    ) {
        self.index = index
        self.count = count
        self.nodes = nodes
        self.latency = latency
        self.loss = loss
        self.streamSeed = streamSeed
        self.seedEndpoints = seedEndpoints
        self.timers = TimerHeap(nodes: nodes.count)
        self.outbox = Array(repeating: [], count: count)
    }

    /// The node index an address belongs to, if any.
    static func index(of endpoint: Endpoint, nodes: Int) -> Int? {
        guard endpoint.address >> 24 == 0x0a, endpoint.port == 14441 else { return nil }
        let i = Int(endpoint.address & 0xFF_FFFF) - 1
        return i >= 0 && i < nodes ? i : nil
    }

    /// The time of this partition's next delivery or timer.
    var nextEventTime: Int64 { min(deliveries.nextTime ?? .max, timers.top?.at ?? .max) }

    /// Runs every delivery and timer due before `end`: deliveries first at equal times.
    func run(until end: Int64) {
        while true {
            let d = deliveries.nextTime ?? .max
            let t = timers.top?.at ?? .max
            if d < end && d <= t, let e = deliveries.pop() {
                events &+= 1
                now = e.at
                deliver(e.payload)
            } else if t < end, let (node, at) = timers.top {
                events &+= 1
                now = at
                guard let engine = nodes[node].engine else {
                    timers.set(node, at: nil)
                    continue
                }
                apply(engine.tick(now: Timestamp(nanoseconds: now)), on: node)
            } else {
                return
            }
        }
    }

    /// Carries out an engine's effects in order, then re-arms its timer.
    func apply(_ effects: [Effect], on node: Int) {
        for effect in effects {
            switch effect {
            case .send(let datagram, let to):
                transmit(datagram, from: node, to: to)
            case .persist(let changes, let then):
                for change in changes {
                    switch change {
                    case .putPublished(let r): nodes[node].published[r.key] = r
                    case .deletePublished(_, let key): nodes[node].published.removeValue(forKey: key)
                    // Records are saved from the engine when the node leaves.
                    case .put, .delete: break
                    }
                }
                apply(then, on: node)
            case .event:
                break
            case .completed(let id, let result):
                completions.append(
                    Completion(at: now, node: Int32(node), rank: Int32(completions.count), operation: id.value, result: result))
            case .resolveSeeds:
                if let engine = nodes[node].engine {
                    apply(engine.setSeeds(SeedSet(endpoints: seedEndpoints), now: Timestamp(nanoseconds: now)), on: node)
                }
            }
        }
        timers.set(node, at: nodes[node].engine?.nextWakeup.nanoseconds)
    }

    /// Sends one datagram: lost with probability `loss`, else queued for `from → to`'s delay
    /// (here, or in the outbox of `to`'s partition). The draw is hashed from the sender and its
    /// send sequence, so it does not depend on what other nodes do.
    func transmit(_ datagram: [UInt8], from: Int, to endpoint: Endpoint) {
        counters.sent += 1
        guard let to = Self.index(of: endpoint, nodes: nodes.count) else {
            counters.unroutable += 1
            return
        }
        let sender = nodes[from]
        let sequence = sender.sent
        sender.sent += 1
        let draw = Hash.mix(Hash.mix(streamSeed, UInt64(from)), sequence)
        let lost = loss > 0 && Hash.unit(draw) < loss
        missTrace?.sent(datagram, from: from, to: to, lost: lost)
        if lost {
            counters.lost += 1
            return
        }
        let at = now + latency.oneWay(from, to, jitter: Hash.mix(draw, 0x717))
        let order = UInt64(from) << 40 | (sequence & 0xFF_FFFF_FFFF)
        let delivery = Delivery(from: Int32(from), to: Int32(to), sentAt: now, datagram: datagram)
        let destination = to % count
        if destination == index {
            deliveries.push(at: at, order: order, delivery)
        } else {
            outbox[destination].append(EventHeap.Entry(at: at, sequence: order, payload: delivery))
        }
    }

    /// Hands a datagram to its node, if that node is online.
    func deliver(_ d: Delivery) {
        let to = Int(d.to)
        onDelivery?(DeliveryTrace(from: Int(d.from), to: to, sentAt: d.sentAt, deliveredAt: now))
        guard let engine = nodes[to].engine else {
            counters.toOffline += 1
            return
        }
        counters.delivered += 1
        apply(engine.receive(d.datagram, from: Simulation.endpoint(of: Int(d.from)), now: Timestamp(nanoseconds: now)), on: to)
    }
}
