@testable import DHTCore
import DHTWire
import Testing

/// The storage quota (docs/limits.md, "Storage"): per layer, node-wide, per publisher and per
/// source host, with byte totals that stay exact through replacements, deletes and expiry.
@Suite struct StorageQuotaTests {
    /// Layer quota 160 000 bytes: a publisher may hold 10 000, a host 40 000.
    static func smallQuota() -> EngineConfiguration {
        var c = EngineConfiguration()
        c.validateStores = false
        c.allowDelete = true
        c.storageQuotaBytes = 160_000
        c.storageTotalQuotaBytes = 240_000
        c.publisherShareDivisor = 16
        c.hostShareDivisor = 4
        return c
    }

    static func value(_ bytes: Int, fill: UInt8 = 0x61) -> BValue { .bytes([UInt8](repeating: fill, count: bytes)) }

    static func key(_ n: Int) -> NodeID { DHTKey.hash("quota-\(n)") }

    /// Stores `value` under `key` from `peer` naming `publisher`; returns the error text or nil.
    @discardableResult
    static func store(
        _ h: EngineHarness, _ key: NodeID, _ value: BValue, from peer: EngineHarness.Peer,
        publisher: NodeID, layer: Int = 0, expire: Int64 = 3600
    ) -> (type: String, text: String)? {
        let sent = h.ask(
            "store", [.bytes(key.hexUTF8), value, .bytes(publisher.hexUTF8), .int(0), .int(expire)],
            from: peer, layer: layer)
        guard let sent else { return ("none", "no reply") }
        if case .error(let type, let text) = sent.message.body { return (type, text) }
        #expect(sent.afterPersist, "an accepted store is answered only once durable")
        return nil
    }

    /// The totals recomputed from the records held, compared with the running ones.
    static func checkAccounting(_ h: EngineHarness, layer: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) {
        let table = h.engine.layers[layer]!.records
        let records = h.engine.records(layer: layer)
        let recomputed = records.reduce(0) {
            $0 + StorageQuota.charge(keyBytes: $1.key.count, valueBytes: Bencode.encode($1.value).count)
        }
        #expect(table.heldBytes == recomputed, sourceLocation: sourceLocation)
        #expect(h.engine.heldStorageBytes(layer: layer) == recomputed, sourceLocation: sourceLocation)
        #expect(table.bytesByPublisher.values.reduce(0, +) == recomputed, sourceLocation: sourceLocation)
        #expect(table.bytesByPublisher.values.allSatisfy { $0 > 0 }, sourceLocation: sourceLocation)
        #expect(table.bytesByHost.values.reduce(0, +) <= recomputed, sourceLocation: sourceLocation)
        #expect(table.bytesByHost.values.allSatisfy { $0 > 0 }, sourceLocation: sourceLocation)
        #expect(table.bytesByPublisher.count <= max(1, records.count), sourceLocation: sourceLocation)
        #expect(table.bytesByHost.count <= max(1, records.count), sourceLocation: sourceLocation)
    }

    @Test(arguments: [
        BValue.int(0), .int(-12345), .int(Int64.max), .int(Int64.min), .bytes([]), .string("hello"),
        .list([.int(1), .string("ab"), .list([])]),
        .dict(["b": .int(2), "a": .list([.string("x")]), 7: .bytes([0, 1, 2])])
    ])
    func encodedSizeIsTheEncodingsLength(value: BValue) {
        #expect(StorageQuota.encodedSize(value) == Bencode.encode(value).count)
    }

    @Test func storesPastThePublisherShareAreRefused() throws {
        let h = EngineHarness(configuration: Self.smallQuota())
        let peer = h.peer(1)
        let publisher = h.random.nodeID()
        var accepted = 0
        var refusal: (type: String, text: String)?
        for n in 0..<10 {
            if let e = Self.store(h, Self.key(n), Self.value(3000), from: peer, publisher: publisher) {
                refusal = e
                break
            }
            accepted += 1
        }
        // Each record is charged 3000 + 5 (bencoding) + 40 (key) + 128; the share is 10 000.
        #expect(accepted == 3)
        let e = try #require(refusal)
        #expect(e.type == "builtins.ValueError")
        #expect(e.text.contains("publisher \(publisher.hex) may keep at most 10000 bytes"), "\(e.text)")
        #expect(h.engine.record(layer: 0, key: Self.key(3).hexUTF8) == nil)
        // Another publisher from the same host still fits; replacing one's own record fits too.
        #expect(Self.store(h, Self.key(20), Self.value(3000), from: peer, publisher: h.random.nodeID()) == nil)
        #expect(Self.store(h, Self.key(0), Self.value(3100), from: peer, publisher: publisher) == nil)
        Self.checkAccounting(h)
    }

    @Test func forgedPublishersFromOneHostAreCappedByTheHostShare() throws {
        let h = EngineHarness(configuration: Self.smallQuota())
        let peer = h.peer(2)
        var accepted = 0
        var refusal: (type: String, text: String)?
        for n in 0..<40 {
            if let e = Self.store(h, Self.key(n), Self.value(3000), from: peer, publisher: h.random.nodeID()) {
                refusal = e
                break
            }
            accepted += 1
        }
        #expect(accepted == 40_000 / 3173)
        let e = try #require(refusal)
        #expect(e.type == "builtins.ValueError")
        #expect(e.text.contains("address \(peer.endpoint.host) may store at most 40000 bytes"), "\(e.text)")
        #expect(Self.store(h, Self.key(100), Self.value(3000), from: h.peer(3), publisher: h.random.nodeID()) == nil)
        Self.checkAccounting(h)
    }

    @Test func storesPastTheLayerQuotaAreRefusedAndTheNodeTotalHoldsAcrossLayers() throws {
        let h = EngineHarness(configuration: Self.smallQuota(), layers: [0, 3], join: [0: true, 3: true])
        var accepted = 0
        var refusal: (type: String, text: String)?
        for n in 0..<100 {
            if let e = Self.store(h, Self.key(n), Self.value(3000), from: h.peer(10 + n), publisher: h.random.nodeID()) {
                refusal = e
                break
            }
            accepted += 1
        }
        #expect(accepted == 160_000 / 3173)
        let e = try #require(refusal)
        #expect(e.text.contains("at most 160000 bytes of values per layer"), "\(e.text)")
        #expect(h.engine.heldStorageBytes(layer: 0) <= 160_000)
        // Layer 3 gets what is left of the node-wide 240 000.
        var onThree = 0
        for n in 0..<100 {
            if let e = Self.store(
                h, Self.key(500 + n), Self.value(3000), from: h.peer(500 + n), publisher: h.random.nodeID(),
                layer: 3)
            {
                #expect(e.text.contains("at most 240000 bytes of values ("), "\(e.text)")
                break
            }
            onThree += 1
        }
        #expect(onThree == (240_000 - accepted * 3173) / 3173)
        #expect(h.engine.heldStorageBytes <= 240_000)
        Self.checkAccounting(h, layer: 0)
        Self.checkAccounting(h, layer: 3)
    }

    @Test func accountingStaysExactThroughReplaceDeleteAndExpiry() throws {
        let h = EngineHarness(configuration: Self.smallQuota())
        let publisher = h.random.nodeID()
        let peer = h.peer(4)
        #expect(Self.store(h, Self.key(1), Self.value(1000), from: peer, publisher: publisher) == nil)
        #expect(Self.store(h, Self.key(2), Self.value(2000), from: h.peer(5), publisher: h.random.nodeID(), expire: 200) == nil)
        Self.checkAccounting(h)
        // Bigger, then smaller, from another host and publisher: the old charge is released.
        #expect(Self.store(h, Self.key(1), Self.value(5000), from: h.peer(6), publisher: h.random.nodeID()) == nil)
        Self.checkAccounting(h)
        #expect(Self.store(h, Self.key(1), Self.value(10), from: peer, publisher: publisher) == nil)
        Self.checkAccounting(h)
        #expect(h.engine.layers[0]!.records.bytesByHost[h.peer(6).endpoint.host] == nil)
        // Delete RPC.
        let deleted = try #require(h.ask("delete", [.bytes(Self.key(1).hexUTF8)], from: peer))
        #expect(deleted.message.errorPair == nil)
        #expect(h.engine.record(layer: 0, key: Self.key(1).hexUTF8) == nil)
        Self.checkAccounting(h)
        // Expiry (the sweep runs every minute).
        let before = h.engine.heldStorageBytes(layer: 0)
        #expect(before > 0)
        for _ in 0..<6 { _ = h.tick(advance: .seconds(61)) }
        #expect(h.engine.record(layer: 0, key: Self.key(2).hexUTF8) == nil)
        Self.checkAccounting(h)
        // The operator's delete.
        for record in h.engine.records(layer: 0) { _ = h.engine.deleteLocal(layer: 0, key: record.key) }
        #expect(h.engine.heldStorageBytes(layer: 0) == 0)
        #expect(h.engine.layers[0]!.records.bytesByPublisher.isEmpty && h.engine.layers[0]!.records.bytesByHost.isEmpty)
    }

    /// The attack of the issue: 400 stores of 256 KiB, each from its own address and publisher
    /// (the worst case for the shares). What is held stays under the 64 MiB default.
    @Test func fourHundredStoresOf256KiBStayUnderTheDefaultQuota() throws {
        var c = EngineConfiguration()
        c.validateStores = false
        let h = EngineHarness(configuration: c)
        let big = Self.value(c.maxValueBytes - 8)
        var accepted = 0, refused = 0
        for n in 0..<400 {
            let key = Self.key(n)
            let message = WireMessage(
                rpcID: h.random.nodeID(), sender: h.random.nodeID(), layer: 0,
                body: .request(
                    method: "store", args: [.bytes(key.hexUTF8), big, .bytes(h.random.nodeID().hexUTF8), .int(0), .int(3600)]))
            let from = h.peer(1000 + n).endpoint
            var effects: [Effect] = []
            for d in try MessageCodec.datagrams(for: message) { effects += h.receive(d, from: from) }
            let answers = EngineHarness.sent(effects).filter { $0.message.rpcID == message.rpcID }
            #expect(answers.count == 1)
            if case .error(_, let text) = answers.first?.message.body {
                #expect(text.contains("storage quota exceeded"), "\(text)")
                refused += 1
            } else {
                accepted += 1
            }
        }
        let held = h.engine.heldStorageBytes
        print("400 stores of \(c.maxValueBytes - 8) bytes: \(accepted) accepted, \(refused) refused, \(held) bytes held")
        #expect(held <= c.storageQuotaBytes)
        #expect(accepted == c.storageQuotaBytes / StorageQuota.charge(keyBytes: 40, valueBytes: StorageQuota.encodedSize(big)))
        #expect(refused == 400 - accepted)
        Self.checkAccounting(h)
    }
}
