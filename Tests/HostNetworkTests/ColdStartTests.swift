import Foundation
import TestKit
import Testing

/// All hosts start at once, as after an outage: seeds that are not up yet when a node starts
/// must not leave it alone for good.
@Suite(.serialized)
struct ColdStartTests {
    @Test func everyDhtopNodeJoinsWhenAllHostsStartAtOnce() throws {
        let net = try HostNetwork(hosts: 8)
        defer { net.down() }
        let kinds = HostNetwork.mixed(8)
        // The seeds are reference nodes (hosts 1 and 3), as BitDust's public seeds are: a Python
        // node takes a second or two to listen, a dhtop node a fraction of that.
        for host in 1...8 {
            let seeds = [1, 3].filter { $0 != host }.map(net.endpoint)
            try net.launch(kinds[host - 1], on: host, seeds: seeds)
        }
        let dhtopHosts = (1...8).filter { kinds[$0 - 1] == .dhtop }
        // Joined: READY printed and at least three other hosts in the routing table.
        let joined = eventually(timeout: 60, every: 0.5) {
            dhtopHosts.allSatisfy { h in
                let node = net.nodes[h]!
                return node.log.contains("READY ") && (node.contacts()?.count ?? 0) >= 3
            }
        }
        let tables = dhtopHosts.map { "host \($0): \(net.nodes[$0]!.contacts()?.sorted() ?? [])" }
        #expect(joined, "dhtop nodes not joined 60 s after a cold start: \(tables)")
    }
}
