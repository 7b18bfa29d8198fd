import DHTCore
import DHTRuntime
import DHTStorage
import DHTWire
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// `dhtop node` with a data directory: a stored value survives kill -9; a corrupt or locked
/// data directory stops the node at start with exit 1 and leaves the files alone.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct DurabilityTests {
    @Test func valueSurvivesKillNine() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir + "/data"]
        let first = try DhtopProcess(args)
        defer { first.terminate() }
        let ready = try #require(first.waitForReady(), "no READY: \(first.stderr.text)")

        let value = "{\"type\":\"durability\",\"n\":42}"
        let set = try DhtopProcess.run(["set", "durable-key", value, "--seed", "127.0.0.1:\(ready.port)", "--timeout", "10"])
        #expect(set.status == 0, "set: \(set.stdout) \(set.stderr)")
        #expect(set.stdout.contains("OK"))

        first.kill(SIGKILL)
        #expect(first.waitForExit(timeout: 5) != nil)

        let second = try DhtopProcess(args)
        defer { second.terminate() }
        let again = try #require(second.waitForReady(), "no READY after restart: \(second.stderr.text)")
        #expect(again.id == ready.id, "the node id is kept across restarts")
        let get = try DhtopProcess.run(["get", "durable-key", "--seed", "127.0.0.1:\(again.port)", "--timeout", "10", "--json"])
        #expect(get.status == 0, "get: \(get.stdout) \(get.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(get.stdout.utf8)) as? [String: Any]
        let found = json?["value"] as? [String: Any]
        #expect(found?["type"] as? String == "durability" && found?["n"] as? Int == 42, "get: \(get.stdout)")
    }

    @Test func everyAcknowledgedStoreSurvivesKillNineUnderLoad() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let data = dir + "/data"
        let node = try DhtopProcess(["node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", data])
        defer { node.terminate() }
        let ready = try #require(node.waitForReady(), "no READY: \(node.stderr.text)")
        let socket = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        var tv = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(socket.fileDescriptor, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = fcntl(socket.fileDescriptor, F_SETFL, fcntl(socket.fileDescriptor, F_GETFL) & ~O_NONBLOCK)
        let target = Endpoint(address: Endpoint.loopback, port: ready.port)
        var rng = SystemRandomNumberGenerator()
        let sender = NodeID.random(using: &rng)
        // 32 stores outstanding, as `dhtop bench` keeps them; each answer OK is an acknowledgement.
        var inFlight: [NodeID: String] = [:]
        var acknowledged: [String] = []
        var next = 0
        func sendOne() {
            let value = "{\"type\":\"skip_validation\",\"crash\":\(next)}"
            let key = DHTKey.hash("crash-\(next)").hexUTF8
            next += 1
            let id = NodeID.random(using: &rng)
            let message = WireMessage(
                rpcID: id, sender: sender, layer: 0, body: .question(method: "store", args: [.bytes(key), .string(value)]))
            guard let datagrams = try? MessageCodec.datagrams(for: message) else { return }
            inFlight[id] = value
            for d in datagrams { _ = socket.send(d, to: target) }
        }
        for _ in 0..<32 { sendOne() }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var silences = 0
        while acknowledged.count < 3_000, silences < 100 {
            guard let (n, _) = buffer.withUnsafeMutableBytes({ socket.receive(into: $0) }) else {
                silences += 1
                inFlight.removeAll()
                for _ in 0..<32 { sendOne() }
                continue
            }
            guard case .framed(let header, let body) = Framing.classify(Array(buffer[0..<n])), header.total == 1,
                let value = inFlight.removeValue(forKey: header.rpcID)
            else { continue }
            if let reply = try? MessageCodec.decode(Array(body)), case .response = reply.body { acknowledged.append(value) }
            sendOne()
        }
        #expect(acknowledged.count >= 3_000, "the node stopped answering: \(node.stderr.text)")
        node.kill(SIGKILL)  // with stores still in flight
        #expect(node.waitForExit(timeout: 10) != nil)

        let db = try NodeDatabase(directory: data)
        defer { db.close() }
        let stored = Set(try db.loadRecords().compactMap { $0.value.byteString.map { String(decoding: $0, as: UTF8.self) } })
        let lost = acknowledged.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "\(lost.count) of \(acknowledged.count) acknowledged stores lost, e.g. \(lost.prefix(3))")
    }

    @Test func corruptDatabaseIsRefusedAndKept() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/dhtop.sqlite3"
        let garbage = Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 13) })
        try garbage.write(to: URL(fileURLWithPath: file))
        let before = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()

        let run = try DhtopProcess.run(["node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir], timeout: 10)
        #expect(run.status == 1)
        #expect(run.stderr.contains(file), "message: \(run.stderr)")
        #expect(!run.stdout.contains("READY"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == garbage)
        let after = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(after.filter { $0.hasPrefix("dhtop.sqlite3") } == before.filter { $0.hasPrefix("dhtop.sqlite3") })
    }

    @Test func secondNodeOnSameDirectoryIsRefused() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let args = ["node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir]
        let first = try DhtopProcess(args)
        defer { first.terminate() }
        _ = try #require(first.waitForReady(), "no READY: \(first.stderr.text)")

        let second = try DhtopProcess.run(args, timeout: 10)
        #expect(second.status == 1)
        #expect(second.stderr.contains("in use"), "message: \(second.stderr)")
        #expect(first.process.isRunning)
    }

    @Test func cleanStopOnSigterm() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try DhtopProcess(["node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir])
        defer { p.terminate() }
        _ = try #require(p.waitForReady(), "no READY: \(p.stderr.text)")
        p.kill(SIGTERM)
        #expect(p.waitForExit(timeout: 10) == 0)
    }
}
