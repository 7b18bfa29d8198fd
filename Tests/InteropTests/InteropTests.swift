import DHTCore
import Foundation
import TestKit
import Testing

/// dhtop against real BitDust nodes over real UDP on 127.0.0.1 (docs/protocol.md §15, §18).
@Suite(.serialized) struct InteropTests {
    init() throws { try Interop.requirePrerequisites() }

    static func value(_ text: String) -> String { "{\"type\":\"skip_validation\",\"text\":\"\(text)\"}" }

    @Test func referenceNodePingsOursAndOursPingsIt() throws {
        let ref = try Reference.node(port: Interop.freePorts(1))
        let ours = try Dhtop.node(seeds: [ref.address])
        let ping = try Reference.client(["ping", ours.address])
        #expect(ping.status == 0, "refclient ping failed: \(ping.stdout) \(ping.stderr)")
        let remote = ping.json?["remote"] as? [String: Any]
        #expect(remote?["node_id"] as? String == ours.nodeID)
        #expect(ping.json?["response"] as? String == "pong")
        let back = try Dhtop.run(["ping", ref.address, "--json", "--timeout", "10"])
        #expect(back.status == 0, "dhtop ping failed: \(back.stderr)")
        #expect(back.stdout.contains(ref.nodeID))
    }

    @Test func ourNodeJoinsAReferenceNetworkAndValuesFlowBothWays() throws {
        let refs = try Reference.network(5)
        let ours = try Dhtop.node(seeds: [refs[0].address])
        // dhtop set (through our node) → reference get (through another reference node).
        let v1 = Self.value("from dhtop")
        let set = try Dhtop.run(["set", "interop-key-1", v1, "--seed", ours.address, "--json"])
        #expect(set.status == 0, "dhtop set failed: \(set.stdout) \(set.stderr)")
        let get = try Reference.client(["--seed", refs[3].address, "get", "interop-key-1"])
        #expect(get.status == 0, "reference get failed: \(get.stdout) \(get.stderr)")
        #expect(get.json?["value"] as? String == v1)
        // reference set → dhtop get.
        let v2 = Self.value("from the reference")
        let refSet = try Reference.client(["--seed", refs[1].address, "set", "interop-key-2", v2])
        #expect(refSet.status == 0, "reference set failed: \(refSet.stdout)")
        let ourGet = try Dhtop.run(["get", "interop-key-2", "--seed", ours.address, "--json"])
        #expect(ourGet.status == 0, "dhtop get failed: \(ourGet.stderr)")
        #expect(Interop.sameJSON(ourGet.json?["value"], v2), "\(ourGet.stdout)")
        // Our node is in the reference nodes' tables: a lookup from a reference client lists it
        // among the contacts it found (not just as the key it looked for). A reference lookup
        // ends once k contacts answered (docs/protocol.md §11), so one through a seed that does
        // not know us yet may stop on four reference nodes: through each of three other seeds
        // in turn, one must list us…
        var seen: [[[String: Any]]] = []
        for seed in refs[2...4] {
            let find = try Reference.client(["--seed", seed.address, "--raw-key", "find", ours.nodeID])
            #expect(find.status == 0, "reference find failed: \(find.stdout) \(find.stderr)")
            let contacts = find.json?["contacts"] as? [[String: Any]] ?? []
            seen.append(contacts)
            if contacts.contains(where: { $0["node_id"] as? String == ours.nodeID }) { break }
        }
        #expect(
            seen.last?.contains { $0["node_id"] as? String == ours.nodeID } == true,
            "our node is not among the contacts three reference lookups found: \(seen)")
        // …and reference nodes answer a direct findNode with our id and port, from their own
        // routing tables. Entangled drops a new contact when its bucket is full and cannot split,
        // so which of them kept us depends on the ids (and, under load, on arrival order): the
        // seed we joined through is asked first, then the others, and one must hold us.
        var answers: [String] = []
        var held = false
        for ref in refs where !held {
            let direct = try Reference.client(["--raw-key", "findnode", ref.address, ours.nodeID])
            #expect(direct.status == 0, "reference findnode failed: \(direct.stdout) \(direct.stderr)")
            answers.append(direct.stdout)
            let listed = (direct.json?["response"] as? [Any] ?? []).compactMap { $0 as? [Any] }
            held = listed.contains { ($0.first as? String) == ours.nodeID && $0.contains { ($0 as? Int) == ours.port } }
        }
        #expect(held, "no reference routing table holds our node: \(answers)")
    }

    @Test func aReferenceNetworkBootstrapsThroughOurNode() throws {
        let ours = try Dhtop.node(seeds: [])
        let base = Interop.freePorts(4)
        var refs: [ReadyProcess] = []
        for i in 0..<4 { refs.append(try Reference.node(port: base + i, seeds: [ours.address])) }
        let v = Self.value("bootstrapped through dhtop")
        let set = try Reference.client(["--seed", refs[0].address, "set", "bootstrap-key", v])
        #expect(set.status == 0, "reference set failed: \(set.stdout) \(set.stderr)")
        let get = try Reference.client(["--seed", refs[3].address, "get", "bootstrap-key"])
        #expect(get.status == 0, "reference get failed: \(get.stdout) \(get.stderr)")
        #expect(get.json?["value"] as? String == v)
    }

    @Test func largeValuesCrossBetweenOurNodeAndReferenceNodes() throws {
        let refs = try Reference.network(4)
        let ours = try Dhtop.node(seeds: [refs[0].address])
        let blob = String(repeating: "x", count: 20_000)
        let big = "{\"type\":\"skip_validation\",\"blob\":\"\(blob)\"}"
        // Written through our node: reference nodes store it (they receive ≤ 8146-byte fragments)…
        let set = try Dhtop.run(["set", "big-key", big, "--seed", ours.address, "--json"], timeout: 90)
        #expect(set.status == 0, "dhtop set of 20 KB failed: \(set.stdout) \(set.stderr)")
        let key = DHTKey.hash("big-key").hex
        // …and it is read back from them (their 8212-byte fragments reach us intact).
        for ref in refs.prefix(2) {
            let get = try Dhtop.run(["get", "big-key", "--seed", ref.address, "--json"], timeout: 60)
            #expect(get.status == 0, "dhtop get of 20 KB via \(ref.address) failed: \(get.stderr)")
            #expect(Interop.sameJSON(get.json?["value"], big), "value read back differs")
        }
        // Python cannot read a > 8 KiB value from a Python node (docs/protocol.md §3.4): ask each reference
        // node directly, reassembling its 8212-byte fragments.
        let holders = refs.filter { RawRPC.storedValue(port: $0.port, keyHex: key) == big }
        #expect(holders.count >= 3, "only \(holders.count) of 4 reference nodes hold the 20 KB value")
        // A reference client stores a large value on our node directly and reads it back from it.
        let stored = try Reference.client(["store", ours.address, "big-key-2", big])
        #expect(stored.status == 0, "reference store on our node failed: \(stored.stdout) \(stored.stderr)")
        let read = try Reference.client(["findvalue", ours.address, "big-key-2"])
        #expect(read.status == 0, "reference findvalue from our node failed: \(read.stdout) \(read.stderr)")
        #expect(read.stdout.contains(blob))
    }
}
