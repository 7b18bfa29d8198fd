import DHTWire
import Testing

@testable import DHTCore

/// Counters by method in fixed slots, and the per-layer counters held inline: the same maps as
/// before come out, whatever order layers were counted in.
@Suite struct MethodCountsTests {
    @Test func countsComeOutAsAMapOfTheNamesCounted() {
        var counts = MethodCounts()
        for name in ["ping", "ping", "findNode", "timeout", "verify_update", "other"] { counts.add(name) }
        #expect(counts.dictionary == ["ping": 2, "findNode": 1, "timeout": 1, "verify_update": 1, "other": 1])
        #expect(counts["ping"] == 2)
        #expect(counts["store"] == 0)
    }

    @Test func aNameWithoutASlotIsKeptApart() {
        var counts = MethodCounts()
        counts.add("somethingElse")
        counts["store"] = 3
        #expect(counts.dictionary == ["somethingElse": 1, "store": 3])
        counts["somethingElse"] = 0
        #expect(counts.dictionary == ["store": 3])
        #expect(MethodCounts(["a": 1, "findValue": 2]).dictionary == ["a": 1, "findValue": 2])
    }

    @Test func everyPeerMethodIsCountedUnderAKnownName() {
        for method in ["ping", "store", "findNode", "findValue", "request", "delete", "verify_update"] {
            #expect(MethodName.counterKey(method) == method)
        }
        for method in ["", "PING", "findnode", "x", String(repeating: "z", count: 300)] {
            #expect(MethodName.counterKey(method) == MethodName.other)
        }
    }

    @Test func layersCompareByWhatTheyCountWhateverCameFirst() {
        var a = Counters()
        a.layer(2) { $0.calls.add("ping") }
        a.layer(0) { $0.responses.add("timeout") }
        var b = Counters()
        b.layers = [0: a.layers[0]!, 2: a.layers[2]!]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.layers[2]?.rpcCalls == ["ping": 1])
        #expect(a.layers[0]?.rpcResponses == ["timeout": 1])
        b.layer(2) { $0.calls.add("ping") }
        #expect(a != b)
        #expect(b.layers[2]?.rpcCalls == ["ping": 2])
    }

    @Test func layerTableFindsEveryLayerAndLetsTheFirstGo() {
        let now = Timestamp(unixSeconds: 1_800_000_000)
        func context(_ layer: Int) -> LayerContext {
            LayerContext(layer: layer, nodeID: NodeID(high: UInt64(layer), middle: 0, low: 0), state: .created, configuration: EngineConfiguration(), now: now)
        }
        var table = LayerTable()
        #expect(table[0] == nil)
        #expect(table.values.isEmpty)
        for layer in [5, 0, 9] { table[layer] = context(layer) }
        #expect([5, 0, 9].allSatisfy { table[$0]?.layer == $0 })
        #expect(table[1] == nil)
        #expect(table.values.map(\.layer).sorted() == [0, 5, 9])
        table[5] = nil
        #expect(table[5] == nil)
        #expect(table[0]?.layer == 0 && table[9]?.layer == 9)
        #expect(table.values.map(\.layer).sorted() == [0, 9])
    }
}
