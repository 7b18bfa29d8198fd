import BitDustRecords
import DHTCore
import DHTTestSupport
import DHTWire
import Testing

/// A one-shot client as `dhtop find` runs it (an unattached node joining through one seed, then
/// one lookup) in an 8-node network losing 5% of datagrams: 600 clients, every join succeeds
/// and every lookup ends on the true 4 closest. With three sends per query and none for seeds,
/// one lookup missed a true closest node and three joins failed (scripts/test's host-network
/// `LossTests` saw the same now and then).
@Suite struct OneShotLossTests {
    @Test func oneShotJoinsAndFindsAreExactUnderFivePercentLoss() {
        var misses: [String] = []
        var joinFailures = 0, lookups = 0
        for network in 0..<30 {
            let net = SimulatedLookupTests.network(8, seed: UInt64(100 + network))
            net.run(for: .seconds(30))
            net.lossRate = 0.05
            let members = net.nodes.compactMap { $0.engine.nodeID(layer: 0) }
            for client in 0..<20 {
                let node = net.addNode(seed: UInt64(network * 1000 + client + 77))
                defer { node.isUp = false }
                let seed = net.nodes[client % 8]
                // As `EphemeralSession.join`: up to three attempts.
                var joined = false
                for _ in 0..<3 where !joined {
                    let op = net.start(.join(seeds: [seed.endpoint], layer: 0, attach: false), on: node)
                    if case .joined(let s)? = net.run(until: op, on: node), s.responders > 0 { joined = true }
                }
                guard joined else {
                    joinFailures += 1
                    continue
                }
                let target = SeededRandom(seed: UInt64(network * 7919 + client)).nodeID()
                let op = net.start(.findNode(target, layer: 0), on: node)
                lookups += 1
                let truth = members.sorted { ($0 ^ target) < ($1 ^ target) }.prefix(4)
                guard case .closest(let s)? = net.run(until: op, on: node), Set(s.closest.map(\.id)) == Set(truth) else {
                    misses.append("network \(network) client \(client)")
                    continue
                }
            }
        }
        #expect(joinFailures == 0)
        #expect(lookups == 600 - joinFailures)
        #expect(misses.isEmpty, "lookups that missed a true closest node: \(misses)")
    }
}
