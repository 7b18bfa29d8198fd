import DHTCore
import DHTWire

/// The network: effects carried out, datagrams lost or queued with their delay, delivered.
extension Simulation {
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
                completed(id.value, result, on: node)
            case .resolveSeeds:
                if let engine = nodes[node].engine {
                    apply(engine.setSeeds(SeedSet(endpoints: seedEndpoints), now: Timestamp(nanoseconds: now)), on: node)
                }
            }
        }
        timers.set(node, at: nodes[node].engine?.nextWakeup.nanoseconds)
    }

    /// Sends one datagram: lost with probability `loss`, else queued for `from → to`'s delay.
    func transmit(_ datagram: [UInt8], from: Int, to endpoint: Endpoint) {
        metrics.datagramsSent += 1
        guard let to = index(of: endpoint) else {
            metrics.datagramsUnroutable += 1
            return
        }
        let draw = random.next()
        let lost = configuration.loss > 0 && Hash.unit(draw) < configuration.loss
        missTrace?.sent(datagram, from: from, to: to, lost: lost)
        if lost {
            metrics.datagramsLost += 1
            return
        }
        let at = now + latency.oneWay(from, to, jitter: Hash.mix(draw, 0x717))
        deliveries.push(at: at, Delivery(from: Int32(from), to: Int32(to), sentAt: now, datagram: datagram))
    }

    /// Hands a datagram to its node, if that node is online.
    func deliver(_ d: Delivery) {
        let to = Int(d.to)
        onDelivery?(DeliveryTrace(from: Int(d.from), to: to, sentAt: d.sentAt, deliveredAt: now))
        guard let engine = nodes[to].engine else {
            metrics.datagramsToOffline += 1
            return
        }
        metrics.datagramsDelivered += 1
        apply(engine.receive(d.datagram, from: Self.endpoint(of: Int(d.from)), now: Timestamp(nanoseconds: now)), on: to)
    }

    /// Sends a test datagram outside any engine (tests of the network itself).
    public func inject(_ datagram: [UInt8], from: Int, to: Int) {
        transmit(datagram, from: from, to: Self.endpoint(of: to))
    }

    /// Datagrams sent, lost, and delivered so far.
    public var traffic: (sent: Int, lost: Int, delivered: Int, toOffline: Int) {
        (metrics.datagramsSent, metrics.datagramsLost, metrics.datagramsDelivered, metrics.datagramsToOffline)
    }
}
