import Foundation
import TestKit
import Testing

/// A third of the hosts stop and come back, some with their data and some wiped: stored keys
/// stay readable and a dhtop node that kept its data rejoins from its saved routing table.
@Suite(.serialized)
struct ChurnTests {
    @Test func keysStayReadableAndNodesRejoinThroughChurn() throws {
        let net = try HostNetwork(hosts: 9)
        defer { net.down() }
        let kinds = HostNetwork.mixed(9)
        try net.startWarm(kinds)
        let churned = [3, 4, 8]  // reference (restarts fresh), dhtop with its data, dhtop wiped
        var values: [String: String] = [:]
        for (i, writer) in [1, 2, 5, 6, 7, 9].enumerated() {
            let key = "churn-\(i)", value = HostNetwork.value("churn \(i)")
            var stored = try net.store(from: writer, kinds[writer - 1], key: key, value: value)
            // A reference client's lookup stops early (docs/protocol.md §11) and may store fewer
            // than k copies; when every copy sits on a host about to stop, the key would be lost
            // by the reference's doing, not dhtop's: it is stored again by a dhtop client.
            if stored.failure == nil, stored.hosts.isSubset(of: churned) {
                stored = try net.store(from: writer, .dhtop, key: key, value: value)
            }
            #expect(stored.failure == nil)
            #expect(!stored.hosts.isSubset(of: churned), "\(key): every copy is on a host that stops: \(stored.hosts.sorted())")
            values[key] = value
        }

        for host in churned { net.nodes[host]!.stop() }
        let survivors = (1...9).filter { !churned.contains($0) }
        // dhtop clients while hosts are down: the reference client waits 30 s on each dead
        // contact and gives up at its own overall timeout first.
        for (i, key) in values.keys.sorted().enumerated() {
            let reader = survivors[i % survivors.count]
            #expect(try net.get(from: reader, .dhtop, key: key) == values[key], "\(key) on host \(reader) while a third is down: \(net.lastClientRun)")
        }

        // Host 4's only seed leads nowhere (an address on the bridge with no host): it can come
        // back only through the routing table it saved.
        let nowhere = "\(net.address(net.count + 1)):\(HostNetwork.port)"
        try net.launch(.reference, on: 3, seeds: [net.endpoint(1), net.endpoint(2)], wipe: true).waitReady(timeout: 60)
        try net.launch(.dhtop, on: 4, seeds: [nowhere]).waitReady(timeout: 60)
        try net.launch(.dhtop, on: 8, seeds: [net.endpoint(1), net.endpoint(2)], wipe: true).waitReady(timeout: 60)
        let rejoined = eventually(timeout: 60, every: 0.5) { (net.nodes[4]!.contacts()?.count ?? 0) >= 3 }
        #expect(rejoined, "host 4 did not rejoin from its saved table: \(net.nodes[4]!.contacts()?.sorted() ?? [])")

        for host in churned {
            for key in values.keys.sorted() {
                #expect(try net.get(from: host, kinds[host - 1], key: key) == values[key], "\(key) on restarted host \(host)")
            }
        }
    }
}
