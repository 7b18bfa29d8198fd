import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// `dhtop node`'s options end to end, each against a real `dhtop node` process on 127.0.0.1:
/// `--events`, `--allow-delete`, `--log-file` rotation, the rate-limit flags and `--layer`.
/// Launches processes: runs in the serial phase of `scripts/test`. Waits are for events (a line
/// in a file, a reply, a counter) with generous deadlines; nothing is timed.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct CLIOptionsTests {
    /// A `dhtop node` started with `extra` flags, its data directory and control socket.
    final class Node {
        let dir: String
        let process: DhtopProcess
        let port: UInt16
        let id: String
        var socket: String { dir + "/control.sock" }
        var endpoint: Endpoint { Endpoint(address: Endpoint.loopback, port: port) }
        var seed: [String] { ["--seed", "127.0.0.1:\(port)", "--timeout", "15"] }

        init(_ extra: [String], dir: String? = nil) throws {
            let dir = dir ?? Loopback.temporaryDirectory()
            self.dir = dir
            process = try DhtopProcess(
                [
                    "node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir,
                    "--control-socket", dir + "/control.sock"
                ] + extra)
            guard let ready = process.waitForReady(timeout: 30) else {
                process.terminate()
                throw CLIOptionsError("no READY from dhtop node \(extra): \(process.stderr.text)")
            }
            port = ready.port
            id = ready.id
        }

        /// `dhtop status --json` of this node.
        func status() throws -> [String: Any] {
            let run = try DhtopProcess.run(["status", "--socket", socket, "--json"], timeout: 20)
            guard run.status == 0, let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] else {
                throw CLIOptionsError("dhtop status failed: \(run.stdout) \(run.stderr)")
            }
            return object
        }

        /// Stops the node with SIGTERM and waits for it to exit.
        func stop() -> Int32? {
            process.kill(SIGTERM)
            return process.waitForExit(timeout: 30)
        }

        deinit {
            process.terminate()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    /// A one-fragment reply decoded (replies come framed, docs/protocol.md §3), or nil.
    static func decodeReply(_ bytes: [UInt8]) -> WireMessage? {
        switch Framing.classify(bytes) {
        case .framed(let header, let payload) where header.total == 1: return try? MessageCodec.decode(Array(payload))
        case .unframed(let whole): return try? MessageCodec.decode(whole)
        default: return nil
        }
    }

    /// A random id, for rpc ids and senders.
    static func randomID() -> NodeID {
        NodeID(high: UInt64.random(in: 0...UInt64.max), middle: UInt64.random(in: 0...UInt64.max), low: UInt32.random(in: 0...UInt32.max))
    }

    /// Sends one call (type 0) and waits for the reply with the same rpc id.
    static func call(_ method: String, _ args: [BValue], to: Endpoint, layer: Int = 0, timeout: Double = 15) throws -> WireMessage? {
        let socket = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        let rpc = randomID()
        let message = WireMessage(rpcID: rpc, sender: randomID(), layer: layer, body: .request(method: method, args: args))
        _ = socket.send(MessageCodec.encode(message), to: to)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var reply: WireMessage?
        _ = eventually(timeout: timeout) {
            buffer.withUnsafeMutableBytes { buf in
                while let (n, _) = socket.receive(into: buf) {
                    if let m = decodeReply(Array(buf.prefix(n))), m.rpcID == rpc { reply = m }
                }
            }
            return reply != nil
        }
        return reply
    }

    // MARK: --events

    @Test func eventsAreWrittenAsJSONLinesForRealEvents() throws {
        let eventsDir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: eventsDir) }
        let file = eventsDir + "/events.jsonl"
        let node = try Node(["--events", file, "--no-validate"])
        let set = try DhtopProcess.run(["set", "events-key", "{\"type\":\"x\"}"] + node.seed)
        #expect(set.status == 0, "\(set.stdout) \(set.stderr)")
        let key = DHTKey.hash("events-key").hex
        func lines() -> [[String: Any]] {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        // The store the client just made shows as a served request and a stored value.
        #expect(
            eventually(timeout: 30) {
                lines().contains { $0["type"] as? String == "value_stored" && ($0["key"] as? String)?.contains(key) == true }
            }, "no value_stored line for \(key) in \(file)")
        let all = lines()
        #expect(all.contains { $0["type"] as? String == "request_served" && $0["method"] as? String == "store" })
        // Every line is one JSON object with a type and a time.
        let raw = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
        #expect(raw.count == all.count, "some lines are not JSON objects")
        #expect(all.allSatisfy { $0["type"] is String && $0["time"] is Double })
        #expect(node.stop() == 0)
    }

    // MARK: --allow-delete

    @Test func remoteDeleteIsServedOnlyWithAllowDelete() throws {
        for allow in [false, true] {
            let node = try Node(["--no-validate"] + (allow ? ["--allow-delete"] : []))
            let set = try DhtopProcess.run(["set", "delete-me", "{\"type\":\"x\"}"] + node.seed)
            #expect(set.status == 0, "\(set.stdout) \(set.stderr)")
            let key = DHTKey.hash("delete-me")
            let reply = try #require(try Self.call("delete", [.bytes(key.hexUTF8)], to: node.endpoint), "no reply to delete")
            let get = try DhtopProcess.run(["get", "delete-me", "--json"] + node.seed)
            if allow {
                guard case .response(.list) = reply.body else {
                    Issue.record("delete answered \(reply.body)")
                    continue
                }
                #expect(get.status == 1, "the key survived an allowed delete: \(get.stdout)")
            } else {
                guard case .error(let type, _) = reply.body else {
                    Issue.record("delete answered \(reply.body)")
                    continue
                }
                #expect(type == "builtins.PermissionError")
                #expect(get.status == 0, "the key is gone without --allow-delete: \(get.stdout) \(get.stderr)")
            }
            #expect(node.stop() == 0)
        }
    }

    // MARK: --log-file, --log-max-bytes

    @Test func logFileRotatesAtMaxBytes() throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/node.log"
        // Each run logs its start and its stop; a few runs pass 1024 bytes and rotate.
        var runs = 0
        while !FileManager.default.fileExists(atPath: log + ".1") && runs < 20 {
            let node = try Node(["--log-file", log, "--log-max-bytes", "1024", "--log-keep", "2"], dir: dir + "/data\(runs)")
            #expect(node.stop() == 0)
            runs += 1
        }
        #expect(FileManager.default.fileExists(atPath: log + ".1"), "no rotation after \(runs) runs")
        for name in [log, log + ".1", log + ".2"] where FileManager.default.fileExists(atPath: name) {
            let size = (try FileManager.default.attributesOfItem(atPath: name)[.size] as? Int) ?? 0
            #expect(size <= 1024, "\(name) has \(size) bytes")
        }
        #expect(!FileManager.default.fileExists(atPath: log + ".3"), "more files kept than --log-keep")
        let last = try String(contentsOfFile: log, encoding: .utf8)
        #expect(last.contains("msg=stopped") || last.contains("msg=\"stopped\""), "the newest file lacks the last stop: \(last)")
    }

    // MARK: --rate-limit, --rate-limit-loopback

    /// Sends `count` pings from one socket, a few at a time, and counts the pongs.
    static func flood(_ node: Node, count: Int) throws -> Int {
        let socket = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { socket.close() }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var pongs = 0
        func drain() {
            buffer.withUnsafeMutableBytes { buf in
                while let (n, _) = socket.receive(into: buf) {
                    if let m = decodeReply(Array(buf.prefix(n))), m.reply == "pong" { pongs += 1 }
                }
            }
        }
        for i in 0..<count {
            let ping = WireMessage(rpcID: randomID(), sender: randomID(), layer: 0, body: .request(method: "ping", args: []))
            _ = socket.send(MessageCodec.encode(ping), to: node.endpoint)
            if i % 20 == 19 { drain() }
        }
        // Every ping is either answered or counted as rate-limited.
        let answeredOrLimited = try eventually {
            drain()
            let limited = try node.status()["rate_limited"] as? Int ?? 0
            return pongs + limited >= count
        }
        #expect(answeredOrLimited, "\(pongs) pongs and the rest not counted")
        return pongs
    }

    @Test func rateLimitDropsALoopbackFloodOnlyWithRateLimitLoopback() throws {
        let count = 300
        let limited = try Node(["--rate-limit", "5", "--rate-burst", "10", "--rate-limit-loopback"])
        let pongs = try Self.flood(limited, count: count)
        let dropped = try limited.status()["rate_limited"] as? Int ?? 0
        #expect(dropped > 0 && pongs < count, "\(pongs) of \(count) answered, \(dropped) limited")
        #expect(pongs + dropped == count)
        #expect(limited.stop() == 0)

        // The same limit without --rate-limit-loopback: loopback is exempt, all are answered.
        let exempt = try Node(["--rate-limit", "5", "--rate-burst", "10"])
        #expect(try Self.flood(exempt, count: count) == count)
        #expect(try exempt.status()["rate_limited"] as? Int == 0)
        #expect(exempt.stop() == 0)
    }

    // MARK: --layer

    @Test func aNodeOnANonZeroLayerStoresAndFindsThere() throws {
        let node = try Node(["--layer", "2", "--no-validate"])
        let set = try DhtopProcess.run(["set", "layer-key", "{\"type\":\"x\",\"layer\":2}", "--layer", "2"] + node.seed)
        #expect(set.status == 0, "\(set.stdout) \(set.stderr)")
        let get = try DhtopProcess.run(["get", "layer-key", "--layer", "2", "--json"] + node.seed)
        #expect(get.status == 0, "\(get.stdout) \(get.stderr)")
        let found = try JSONSerialization.jsonObject(with: Data(get.stdout.utf8)) as? [String: Any]
        let value = found?["value"] as? [String: Any]
        #expect(value?["type"] as? String == "x" && value?["layer"] as? Int == 2, "\(get.stdout)")
        // Layers are separate tables: layer 0 does not hold it.
        let other = try DhtopProcess.run(["get", "layer-key", "--json"] + node.seed)
        #expect(other.status == 1, "layer 0 answered a layer-2 key: \(other.stdout)")
        // The node reports both layers, each with its own id, and answers a ping on layer 2.
        let layers = (try node.status()["dht"] as? [String: Any])?["layers"] as? [[String: Any]] ?? []
        #expect(Set(layers.compactMap { $0["layer_id"] as? Int }) == [0, 2])
        let ids = layers.compactMap { $0["node_id"] as? String }
        #expect(ids.count == 2 && ids[0] != ids[1])
        let pong = try #require(try Self.call("ping", [], to: node.endpoint, layer: 2))
        #expect(pong.layer == 2 && pong.reply == "pong")
        #expect(node.stop() == 0)
    }
}

struct CLIOptionsError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension WireMessage {
    /// The value of a response, nil for anything else.
    var reply: BValue? { if case .response(let v) = body { return v } else { return nil } }
}
