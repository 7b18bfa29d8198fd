@testable import DHTCore
import DHTWire
import Testing

/// `DHTEngine.persistFailed`: when a store's change cannot be made durable, the value is taken
/// back out of memory (never served), the store is answered with an error instead of "OK", and
/// a `.storageFailed` event says so.
@Suite struct PersistFailedTests {
    static func configuration() -> EngineConfiguration {
        var c = EngineConfiguration()
        c.validateStores = false
        c.allowDelete = true
        return c
    }

    static let reason = "the disk is full"

    /// The one persist among `effects`.
    static func persist(_ effects: [Effect]) -> (changes: [StorageChange], then: [Effect])? {
        for e in effects { if case .persist(let c, let then) = e { return (c, then) } }
        return nil
    }

    @Test func aFailedStoreIsAnsweredWithAnErrorAndNotServed() throws {
        let h = EngineHarness(configuration: Self.configuration())
        let peer = h.peer(1)
        let key = DHTKey.hash("full-disk")
        let base = h.engine.heldStorageBytes  // the layer's own nodeState record
        let (rpc, effects) = h.call("store", [.bytes(key.hexUTF8), .string("value"), .bytes(peer.id.hexUTF8)], from: peer)
        let persist = try #require(Self.persist(effects))
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) != nil, "held while the write is under way")
        #expect(h.engine.heldStorageBytes > base)

        let failed = h.engine.persistFailed(persist.changes, then: persist.then, reason: Self.reason, now: h.now)
        let answer = try #require(h.reply(to: rpc, in: failed))
        #expect(answer.to == peer.endpoint)
        #expect(answer.message.sender == h.id())
        #expect(answer.message.errorPair?.0 == "builtins.OSError")
        #expect(answer.message.errorPair?.1 == "storage failed: the disk is full")
        #expect(EngineHarness.sent(failed).allSatisfy { $0.message.result != "OK" })
        let events = EngineHarness.events(failed)
        #expect(events.contains(.storageFailed(layer: 0, keys: [key.hexUTF8Text], reason: Self.reason)))

        #expect(h.engine.record(layer: 0, key: key.hexUTF8) == nil)
        #expect(h.engine.heldStorageBytes == base)
        let found = try #require(h.ask("findValue", [.bytes(key.hexUTF8)], from: h.peer(2)))
        #expect(found.message.result?.dict == nil, "findValue returns contacts, not the value")
    }

    @Test func aNewerStoreOfTheSameKeyIsKeptWhenAnOlderWriteFails() throws {
        let h = EngineHarness(configuration: Self.configuration())
        let peer = h.peer(1)
        let key = DHTKey.hash("two-writes")
        let first = h.call("store", [.bytes(key.hexUTF8), .string("one"), .bytes(peer.id.hexUTF8)], from: peer)
        let second = h.call("store", [.bytes(key.hexUTF8), .string("two"), .bytes(peer.id.hexUTF8)], from: peer)
        let failing = try #require(Self.persist(first.effects))
        _ = try #require(Self.persist(second.effects))
        let failed = h.engine.persistFailed(failing.changes, then: failing.then, reason: Self.reason, now: h.now)
        #expect(h.reply(to: first.rpcID, in: failed)?.message.errorPair?.0 == "builtins.OSError")
        #expect(h.engine.record(layer: 0, key: key.hexUTF8)?.value == .string("two"))
        #expect(EngineHarness.events(failed).contains(.storageFailed(layer: 0, keys: [], reason: Self.reason)))
    }

    @Test func aFailedDeleteIsAnsweredWithAnError() throws {
        let h = EngineHarness(configuration: Self.configuration())
        let peer = h.peer(1)
        let key = DHTKey.hash("delete-me")
        _ = h.call("store", [.bytes(key.hexUTF8), .string("v"), .bytes(peer.id.hexUTF8)], from: peer)
        let (rpc, effects) = h.call("delete", [.bytes(key.hexUTF8)], from: peer)
        let persist = try #require(Self.persist(effects))
        let failed = h.engine.persistFailed(persist.changes, then: persist.then, reason: Self.reason, now: h.now)
        #expect(h.reply(to: rpc, in: failed)?.message.errorPair?.1 == "storage failed: the disk is full")
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) == nil)
    }

    @Test func ourOwnRecordsAreTakenBackToo() throws {
        let h = EngineHarness(configuration: Self.configuration())
        let key = DHTKey.hash("own")
        let base = h.engine.heldStorageBytes
        let record = StoredRecord(
            layer: 0, key: key.hexUTF8, value: .string("mine"), lastPublished: h.now.unixSeconds,
            originallyPublished: h.now.unixSeconds, publisher: h.id(), expireSeconds: 600)
        guard case .success(let changes) = h.engine.admit(record, from: nil) else {
            Issue.record("own record refused")
            return
        }
        let failed = h.engine.persistFailed(changes, then: [], reason: Self.reason, now: h.now)
        #expect(EngineHarness.sent(failed).isEmpty)
        #expect(h.engine.record(layer: 0, key: key.hexUTF8) == nil)
        #expect(h.engine.heldStorageBytes == base)
    }
}

private extension NodeID {
    var hexUTF8Text: String { String(decoding: hexUTF8, as: UTF8.self) }
}
