import Foundation
import TestKit
import Testing

/// Values written on one host are read on the others, between dhtop and reference nodes both
/// ways, every node on its own address and UDP 14441.
@Suite(.serialized)
struct CrossHostTests {
    @Test func valuesCrossBetweenDhtopAndReferenceHosts() throws {
        let net = try HostNetwork(hosts: 8)
        defer { net.down() }
        try net.startWarm(HostNetwork.mixed(8))
        let fromDhtop = HostNetwork.value("written by dhtop on host 2")
        let fromReference = HostNetwork.value("written by the reference client on host 3")
        #expect(try net.set(from: 2, .dhtop, key: "cross-a", value: fromDhtop) == nil)
        #expect(try net.set(from: 3, .reference, key: "cross-b", value: fromReference) == nil)
        for (host, kind) in [(1, NodeKind.reference), (5, .reference), (6, .dhtop), (8, .dhtop)] {
            #expect(try net.get(from: host, kind, key: "cross-a") == fromDhtop, "\(kind) client on host \(host) reading cross-a")
        }
        for (host, kind) in [(4, NodeKind.dhtop), (8, .dhtop), (7, .reference), (1, .reference)] {
            #expect(try net.get(from: host, kind, key: "cross-b") == fromReference, "\(kind) client on host \(host) reading cross-b")
        }
        #expect(try net.get(from: 6, .dhtop, key: "never-written") == nil)
    }
}
