import Foundation
import TestKit
import Testing

/// The hosts split in two, each side writes, the network heals: both values become readable
/// everywhere and routing tables span both sides again.
@Suite(.serialized)
struct PartitionTests {
    @Test func valuesAndTablesReconcileAfterAPartitionHeals() throws {
        let net = try HostNetwork(hosts: 8)
        defer { net.down() }
        let kinds = HostNetwork.mixed(8)
        try net.startWarm(kinds)
        let left = [1, 2, 3, 4], right = [5, 6, 7, 8]
        try net.partition(left, right)
        let a = HostNetwork.value("left"), b = HostNetwork.value("right")
        #expect(try net.set(from: 2, .dhtop, key: "split-left", value: a) == nil)
        #expect(try net.set(from: 6, .dhtop, key: "split-right", value: b) == nil)
        // Each side reads its own value while split (its lookups also time out on the other side).
        #expect(try net.get(from: 4, .dhtop, key: "split-left", via: 3) == a, "split-left within the left side")
        #expect(try net.get(from: 8, .dhtop, key: "split-right", via: 7) == b, "split-right within the right side")
        try net.heal()

        var unread: [String] = []
        let readable = try eventually(timeout: 120, every: 2) {
            unread = []
            for host in 1...8 {
                let kind = kinds[host - 1]
                if try net.get(from: host, kind, key: "split-left") != a { unread.append("split-left on host \(host)") }
                if try net.get(from: host, kind, key: "split-right") != b { unread.append("split-right on host \(host)") }
            }
            return unread.isEmpty
        }
        #expect(readable, "not readable 120 s after the heal: \(unread)")

        let ids = Dictionary(uniqueKeysWithValues: (1...8).map { ($0, net.nodes[$0]!.nodeID) })
        var oneSided: [String] = []
        let spanning = try eventually(timeout: 120, every: 2) {
            oneSided = []
            for host in 1...8 {
                let other = left.contains(host) ? right : left
                switch kinds[host - 1] {
                case .dhtop:
                    let table = net.nodes[host]!.contacts() ?? []
                    if !other.contains(where: { table.contains(net.endpoint($0)) }) { oneSided.append("dhtop host \(host): \(table.sorted())") }
                case .reference:
                    let answer = try net.referenceFindNode(on: host, target: ids[other[0]]!)
                    if !other.contains(where: { answer.contains(ids[$0]!) }) { oneSided.append("reference host \(host): \(answer)") }
                }
            }
            return oneSided.isEmpty
        }
        #expect(spanning, "routing tables still one-sided 120 s after the heal: \(oneSided)")
    }
}
