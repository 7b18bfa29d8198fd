import DHTCore
@testable import DHTRuntime
import DHTStorage
import DHTWire
import Foundation
import TestKit
import Synchronization
import Testing

/// A node whose disk fills (the database capped with `NodeDatabase.limitSize`, which fails
/// writes with SQLITE_FULL exactly as a full disk does): stores over UDP past the limit are
/// answered with an error, the refused values are not served, the failure is counted and an
/// event is published, and after a restart memory and disk hold the same records.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct DiskFullTests {
    @Test func storesPastAFullDiskGetAnErrorAndAreNotServed() async throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try Loopback.node(dataDirectory: dir, validate: false)
        var stopped = false
        defer { if !stopped { node.stop() } }
        _ = await node.join()
        let failures = Mutex<[NodeEvent]>([])
        let subscription = node.events.subscribe(queue: DispatchQueue(label: "test.events")) { events in
            let mine = events.map(\.event).filter { if case .storageFailed = $0 { true } else { false } }
            if !mine.isEmpty { failures.withLock { $0 += mine } }
        }
        defer { subscription.cancel() }
        try node.writer!.perform { db throws(StorageError) in _ = try db.limitSize(bytes: 96 * 1024) }

        let client = try RawClient(to: Loopback.endpoint(node))
        defer { client.close() }
        let value = BValue.bytes([UInt8](repeating: 0x42, count: 6000))
        var accepted: [[UInt8]] = []
        var refusedKey: [UInt8]?
        var refusal: (String, String)?
        for n in 0..<100 {
            let key = DHTKey.hash("disk-full-\(n)").hexUTF8
            let reply = try #require(client.call("store", [.bytes(key), value, .bytes(client.id.hexUTF8)]), "no reply to store \(n)")
            if case .error(let type, let text) = reply.body {
                refusedKey = key
                refusal = (type, text)
                break
            }
            #expect(reply.body == .response("OK"))
            accepted.append(key)
        }
        let (type, text) = try #require(refusal, "the database never filled")
        #expect(type == "builtins.OSError")
        #expect(text == "storage failed: the disk is full")
        #expect(!text.contains(dir))
        let key = try #require(refusedKey)
        let found = try #require(client.call("findValue", [.bytes(key)]))
        #expect(found.body.responseValue?.dict == nil, "the refused value is not served")
        let first = try #require(accepted.first)
        #expect(client.call("findValue", [.bytes(first)])?.body.responseValue?.dict?[.bytes(first)] == value)

        #expect(node.storageUse.failures >= 1)
        #expect(node.storageUse.lastError?.contains("full") == true)
        let deadline = ContinuousClock.now + .seconds(10)
        while failures.withLock({ $0.isEmpty }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(
            failures.withLock {
                $0.contains {
                    if case .storageFailed(0, let keys, "the disk is full") = $0 { keys.contains(String(decoding: key, as: UTF8.self)) } else { false }
                }
            })

        let inMemory = Set(node.withEngine { $0.records(layer: 0) }.map(\.key))
        #expect(inMemory.subtracting([DHTKey.nodeState.hexUTF8]) == Set(accepted))
        node.stop()
        stopped = true

        let db = try NodeDatabase(directory: dir)
        let onDisk = Set(try db.loadRecords().map(\.key))
        db.close()
        #expect(onDisk == inMemory)
        let again = try Loopback.node(dataDirectory: dir, validate: false)
        defer { again.stop() }
        #expect(Set(again.withEngine { $0.records(layer: 0) }.map(\.key)) == onDisk)
    }
}

/// A bare UDP client that sends one call at a time and waits for its answer. Not thread-safe.
final class RawClient {
    let socket: UDPSocket
    let to: Endpoint
    let id = SystemRandom().nodeID()
    private var buffer = [UInt8](repeating: 0, count: 65_536)

    init(to: Endpoint) throws {
        socket = try UDPSocket(host: "127.0.0.1", port: 0)
        self.to = to
    }

    func close() { socket.close() }

    /// Sends `method(args)` and returns the answer, or nil after a generous 10 s.
    func call(_ method: String, _ args: [BValue], layer: Int = 0) -> WireMessage? {
        let rpc = SystemRandom().nodeID()
        let message = WireMessage(rpcID: rpc, sender: id, layer: layer, body: .request(method: method, args: args))
        guard let datagrams = try? MessageCodec.datagrams(for: message) else { return nil }
        for d in datagrams { _ = socket.send(d, to: to) }
        var reassembler = Reassembler<Endpoint>()
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard let (count, from) = buffer.withUnsafeMutableBytes({ socket.receive(into: $0) }) else {
                usleep(1_000)
                continue
            }
            let datagram = Array(buffer[0..<count])
            var whole: [UInt8]?
            switch Framing.classify(datagram) {
            case .unframed(let bytes): whole = bytes
            case .framed(let header, let payload):
                if case .complete(let bytes) = reassembler.receive(header, payload: payload, from: from, now: Timestamp(nanoseconds: 0)) { whole = bytes }
            case .invalid: continue
            }
            if let whole, let reply = try? MessageCodec.decode(whole), reply.rpcID == rpc { return reply }
        }
        return nil
    }
}

extension WireMessage.Body {
    var responseValue: BValue? { if case .response(let v) = self { v } else { nil } }
}
