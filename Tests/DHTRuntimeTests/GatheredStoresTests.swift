import DHTCore
@testable import DHTRuntime
import DHTStorage
import DHTWire
import Foundation
import TestKit
import Testing

/// Stores that arrive together (sent in one burst, so that a receive batch holds several) are
/// submitted to the writer as one group: every one is answered, "OK" only once durable, and what
/// memory holds is what the disk holds; when the group's commit fails, every store in it is
/// answered with the storage error and none of them stays in memory.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct GatheredStoresTests {
    @Test func aBurstOfStoresIsAnsweredAndDurable() async throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try Loopback.node(dataDirectory: dir, validate: false)
        var stopped = false
        defer { if !stopped { node.stop() } }
        _ = await node.join()
        let before = try #require(node.storageCommits).submits
        let keys = (0..<64).map { DHTKey.hash("gathered-\($0)").hexUTF8 }
        let answers = try burst(keys.map { ("store", [.bytes($0), .bytes(Array("v\($0.count)".utf8))]) }, to: Loopback.endpoint(node))
        #expect(answers.count == keys.count)
        #expect(answers.allSatisfy { $0 == .response("OK") })
        // One change counted per store, not one per group; a background save (the node's state,
        // a replica) may land in the same span, so a few more are allowed, never fewer.
        let counted = try #require(node.storageCommits).submits - before
        #expect(counted >= keys.count && counted <= keys.count + 4, "one change counted per store: \(counted) for \(keys.count)")
        node.stop()
        stopped = true
        let db = try NodeDatabase(directory: dir)
        defer { db.close() }
        #expect(Set(try db.loadRecords().map(\.key)).isSuperset(of: keys))
    }

    @Test func aBurstPastAFullDiskIsAnsweredStoreByStoreAndMemoryMatchesDisk() async throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try Loopback.node(dataDirectory: dir, validate: false)
        var stopped = false
        defer { if !stopped { node.stop() } }
        _ = await node.join()
        try node.writer!.perform { db throws(StorageError) in _ = try db.limitSize(bytes: 96 * 1024) }
        let value = BValue.bytes([UInt8](repeating: 0x42, count: 6000))
        let keys = (0..<40).map { DHTKey.hash("gathered-full-\($0)").hexUTF8 }
        let answers = try burst(keys.map { ("store", [.bytes($0), value]) }, to: Loopback.endpoint(node))
        #expect(answers.count == keys.count, "every store is answered")
        let refused = answers.filter { $0 != .response("OK") }
        #expect(!refused.isEmpty, "the database never filled")
        #expect(refused.allSatisfy { $0 == .error(type: "builtins.OSError", message: "storage failed: the disk is full") })
        let accepted = Set(zip(keys, answers).filter { $0.1 == .response("OK") }.map(\.0))
        let inMemory = Set(node.withEngine { $0.records(layer: 0) }.map(\.key)).subtracting([DHTKey.nodeState.hexUTF8])
        #expect(inMemory == accepted)
        node.stop()
        stopped = true
        let db = try NodeDatabase(directory: dir)
        defer { db.close() }
        #expect(Set(try db.loadRecords().map(\.key)).subtracting([DHTKey.nodeState.hexUTF8]) == accepted)
    }

    /// Sends every call at once, then waits (10 s at most) for their answers; returns the bodies
    /// in the calls' order (fewer when some never came).
    private func burst(_ calls: [(String, [BValue])], to target: Endpoint) throws -> [WireMessage.Body] {
        let socket = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        let sender = SystemRandom().nodeID()
        let ids = calls.map { _ in SystemRandom().nodeID() }
        for (id, call) in zip(ids, calls) {
            let message = WireMessage(rpcID: id, sender: sender, layer: 0, body: .request(method: call.0, args: call.1))
            for d in try MessageCodec.datagrams(for: message) { _ = socket.send(d, to: target) }
        }
        var bodies: [NodeID: WireMessage.Body] = [:]
        var reassembler = Reassembler<Endpoint>()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let deadline = ContinuousClock.now + .seconds(10)
        while bodies.count < calls.count, ContinuousClock.now < deadline {
            guard let (count, from) = buffer.withUnsafeMutableBytes({ socket.receive(into: $0) }) else {
                usleep(1_000)
                continue
            }
            var whole: [UInt8]?
            switch Framing.classify(Array(buffer[0..<count])) {
            case .unframed(let bytes): whole = bytes
            case .framed(let header, let payload):
                if case .complete(let bytes) = reassembler.receive(header, payload: payload, from: from, now: Timestamp(nanoseconds: 0)) { whole = bytes }
            case .invalid: continue
            }
            if let whole, let message = try? MessageCodec.decode(whole) { bodies[message.rpcID] = message.body }
        }
        return ids.compactMap { bodies[$0] }
    }
}
