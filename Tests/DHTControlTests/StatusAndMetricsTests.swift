import NodeAPI
import DHTControl
import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// `dhtop status --json` field by field, the Prometheus endpoint, and the wire form of messages.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct StatusAndMetricsTests {
    @Test func statusJSONHasBitDustShapeAndExtras() async throws {
        let f = try await ControlFixture()
        defer { f.stop() }
        for _ in 0..<3 { #expect(await f.pingFromPeer()) }
        let client = try ControlClient.connect(path: f.socketPath)
        defer { client.close() }
        let report = try client.status()
        let encoder = JSONEncoder()
        let object = try #require(try JSONSerialization.jsonObject(with: encoder.encode(report)) as? [String: Any])

        let dht = try #require(object["dht"] as? [String: Any])
        // The names BitDust's own API returns, read from the installed package (not our CodingKeys).
        let bitdust = try BitDustNetworkStatus.dhtFieldNames()
        #expect(bitdust.dht.count >= 4 && bitdust.layer.count >= 10, "parsed too few names from api.py: \(bitdust)")
        #expect(Set(dht.keys).isSuperset(of: bitdust.dht), "missing BitDust dht fields: \(bitdust.dht.subtracting(dht.keys))")
        #expect(dht["udp_port"] as? Int == Int(f.node.port))
        #expect((dht["bytes_received"] as? Int ?? 0) > 0)
        #expect((dht["bytes_sent"] as? Int ?? 0) > 0)
        let layers = try #require(dht["layers"] as? [[String: Any]])
        #expect(layers.count == 1)
        let l0 = try #require(layers.first)
        #expect(Set(l0.keys).isSuperset(of: bitdust.layer), "missing BitDust layer fields: \(bitdust.layer.subtracting(l0.keys))")
        let id = f.node.withEngine { $0.nodeID(layer: 0)! }
        #expect(l0["layer_id"] as? Int == 0)
        #expect(l0["node_id"] as? String == id.hex)
        #expect(l0["attached"] as? Bool == true)
        #expect(l0["active"] as? Bool == true)
        #expect((l0["buckets"] as? Int ?? 0) >= 1)
        #expect(l0["contacts"] as? Int == 1)
        #expect(l0["data_store_items"] is Int)
        #expect(l0["node_items"] as? Int == 0)
        #expect((l0["packets_received"] as? Int ?? 0) >= 3)
        #expect((l0["packets_sent"] as? Int ?? 0) >= 3)
        let calls = try #require(l0["rpc_calls"] as? [String: Int])
        #expect((calls["ping"] ?? 0) >= 3)
        #expect(l0["rpc_responses"] is [String: Int])

        #expect(object["version"] as? String == "test")
        #expect(object["pid"] as? Int == Int(getpid()))
        #expect(object["address"] as? String == "127.0.0.1:\(f.node.port)")
        #expect((object["uptime_seconds"] as? Double ?? -1) >= 0)
        #expect(object["data_dir"] as? String == "-")
        #expect(object["dropped"] is [String: Int])
        #expect(object["rate_limited"] as? Int == 0)
        let limit = try #require(object["rate_limit"] as? [String: Any])
        let config = try #require(limit["configuration"] as? [String: Any])
        #expect(config["per_second"] as? Double == 200)
        #expect(config["burst"] as? Double == 400)
        #expect(limit["limited_sources"] is [Any])
        #expect(object["unsolicited_requests"] is Int)
        #expect(object["pending_rpcs"] as? Int == 0)
        #expect(object["running_lookups"] as? Int == 0)
        #expect(object["storage"] == nil || object["storage"] is NSNull)
        let health = try #require(object["contacts"] as? [String: Int])
        #expect(health["good"] == 1 && health["questionable"] == 0 && health["bad"] == 0)
        #expect(object["control_clients"] as? Int == 1)
        #expect(report.text.contains("layer 0"))
        #expect(report.text.contains("rate limit       200/s per address"))
    }

    @Test func metricsEndpointServesPrometheusText() async throws {
        let f = try await ControlFixture()
        defer { f.stop() }
        #expect(await f.pingFromPeer())
        // Two answered calls of the node's own, for the latency histogram.
        let peerEndpoint = Endpoint(address: Endpoint.loopback, port: f.peer.port)
        for _ in 0..<2 {
            guard case .pong = await f.node.perform(.ping(peerEndpoint, layer: 0)) else {
                Issue.record("the peer did not answer")
                return
            }
        }
        let server = f.server
        let metrics = try MetricsServer(port: 0) { PrometheusText.render(server.status()) }
        metrics.start()
        defer { metrics.stop() }
        let (status, body) = try Self.get("/metrics", port: metrics.port)
        #expect(status.hasPrefix("HTTP/1.0 200"))
        var samples: [String: Double] = [:]
        var typed: Set<String> = []
        for line in body.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                typed.insert(String(line.split(separator: " ")[2]))
                continue
            }
            if line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ")
            #expect(parts.count == 2, "bad sample line \(line)")
            samples[String(parts[0])] = Double(parts[1])
        }
        #expect((samples["dhtop_packets_received_total{layer=\"0\"}"] ?? 0) >= 1)
        #expect((samples["dhtop_rpc_calls_total{layer=\"0\",method=\"ping\"}"] ?? 0) >= 1)
        #expect(samples["dhtop_contacts{layer=\"0\"}"] == 1)
        #expect(samples["dhtop_control_clients"] == 0)
        // The ping latency histogram: cumulative buckets ending at +Inf, with its count and sum.
        #expect(typed.contains("dhtop_rpc_latency_seconds"))
        #expect(samples["dhtop_rpc_latency_seconds_count{method=\"ping\"}"] == 2)
        #expect(samples["dhtop_rpc_latency_seconds_bucket{method=\"ping\",le=\"+Inf\"}"] == 2)
        #expect((samples["dhtop_rpc_latency_seconds_sum{method=\"ping\"}"] ?? -1) >= 0)
        let buckets = LatencyHistogram.boundsMs.map { samples["dhtop_rpc_latency_seconds_bucket{method=\"ping\",le=\"\($0 / 1000)\"}"] }
        #expect(buckets.allSatisfy { $0 != nil }, "\(body)")
        let counts = buckets.compactMap { $0 }
        #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(server.status().text.contains("rpc latency      ping      2 calls: p50"))
        #expect(typed.contains("dhtop_packets_received_total") && typed.contains("dhtop_uptime_seconds"))
        for name in typed { #expect(body.contains("# HELP \(name) ")) }
        let (notFound, _) = try Self.get("/other", port: metrics.port)
        #expect(notFound.hasPrefix("HTTP/1.0 404"))
    }

    @Test func messagesSurviveTheWire() throws {
        let id = NodeID(hex: "00112233445566778899aabbccddeeff00112233")!
        let e = Endpoint(host: "10.1.2.3", port: 14441)!
        let info = RPCInfo(
            rpcID: id, method: "findNode", peer: e, peerID: nil, layer: 2, sentAt: Timestamp(unixSeconds: 5),
            timeout: .seconds(5), attempt: 1, lookup: LookupID(3))
        let events: [NodeEvent] = [
            .rpcSent(info), .rpcAnswered(info, latency: .milliseconds(12), error: nil),
            .datagramDropped(from: e, bytes: 9, reason: .rateLimited),
            .valueStored(layer: 0, key: id, keyText: "k", bytes: 3, publisher: nil, from: e)
        ]
        let timed = events.enumerated().map { TimedEvent($1, at: Timestamp(nanoseconds: 7_000_000_000 + Int64($0) * 1_000_000)) }
        let line = ControlProtocol.line(ServerMessage.events(timed))
        #expect(line.last == 0x0a && !line.dropLast().contains(0x0a))
        #expect(String(decoding: line, as: UTF8.self).contains("\"10.1.2.3:14441\""))
        guard case .events(let back) = try ControlProtocol.decode(ServerMessage.self, line.dropLast()) else {
            Issue.record("not events")
            return
        }
        #expect(back == timed)

        let value: BValue = .dict(["a": .list([1, .bytes([0xff, 0x00])]), 3: "text"])
        let record = try ControlProtocol.decode(Wire.Value.self, ControlProtocol.line(Wire.Value(value)).dropLast())
        #expect(try record.core() == value)
        for command: NodeCommand in [
            .get(try KeyArgument("k")), .set(try KeyArgument(id.hex, raw: true), value: "v", expireSeconds: 60),
            .find(try KeyArgument.findTarget(id.hex)), .join(e)
        ] {
            let l = ControlProtocol.line(ClientMessage.command(id: 1, command, layer: 2))
            #expect(try ControlProtocol.decode(ClientMessage.self, l.dropLast()) == .command(id: 1, command, layer: 2))
        }
        var splitter = LineSplitter(limit: 8)
        #expect(splitter.feed(Array("ab\ncd".utf8)) == [Array("ab".utf8)])
        #expect(splitter.feed(Array("e\n".utf8)) == [Array("cde".utf8)])
        #expect(splitter.feed(Array("123456789".utf8)) == nil)
    }

    @Test func logLinesAndRotation() throws {
        let journal = ServiceLogHandler.format(
            level: .warning, label: "dhtop.node", message: "a\nb", metadata: ["k": "v w"],
            format: .journal, now: Date(timeIntervalSince1970: 0))
        #expect(journal == "<4>dhtop.node: a b k=\"v w\"")
        let logfmt = ServiceLogHandler.format(
            level: .info, label: "x", message: "hello world", metadata: [:],
            format: .logfmt, now: Date(timeIntervalSince1970: 0))
        #expect(logfmt == "time=1970-01-01T00:00:00.000Z level=info label=x msg=\"hello world\"")

        let dir = "/tmp/dhtoplog-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = try RotatingLogFile(path: dir + "/node.log", maxBytes: 1024, keep: 3)
        for i in 0..<200 { file.write("line \(i) " + String(repeating: "x", count: 40)) }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(names == ["node.log", "node.log.1", "node.log.2", "node.log.3"])
        for n in names {
            let size = (try FileManager.default.attributesOfItem(atPath: dir + "/" + n)[.size] as? Int) ?? 0
            #expect(size <= 1024)
        }
        let last = try String(contentsOfFile: dir + "/node.log", encoding: .utf8)
        #expect(last.hasSuffix("line 199 " + String(repeating: "x", count: 40) + "\n"))
        #expect(file.failures == 0)
    }

    /// One HTTP/1.0 GET on 127.0.0.1: the status line and the body.
    static func get(_ path: String, port: UInt16) throws -> (String, String) {
        let socket = try RawSocket.tcp(port: port)
        defer { socket.close() }
        socket.send("GET \(path) HTTP/1.0\r\nHost: x\r\n\r\n")
        let text = socket.readToEnd(seconds: 30).text
        let parts = text.components(separatedBy: "\r\n\r\n")
        return (parts[0].components(separatedBy: "\r\n")[0], parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

/// The field names of the `dht` part of BitDust's `network_status(dht=1)`, read at test time
/// from the installed BitDust package (`bitdust/interface/api.py`, function `network_status`):
/// the names of each `layers` entry and of the `dht` object itself. The venv is made by
/// `../shared/reference/setup.sh`, which `scripts/test` runs; a missing venv fails the test.
enum BitDustNetworkStatus {
    static func apiFile() throws -> String {
        let lib = RepositoryPaths.venv + "/lib"
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib)) ?? []
        for py in pythons.sorted() where py.hasPrefix("python") {
            let path = "\(lib)/\(py)/site-packages/bitdust/interface/api.py"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw ControlError("BitDust's api.py not found under \(lib) (run ../shared/reference/setup.sh)")
    }

    static func dhtFieldNames() throws -> (dht: Set<String>, layer: Set<String>) {
        let text = try String(contentsOfFile: try apiFile(), encoding: .utf8)
        guard let start = text.range(of: "\ndef network_status(") else { throw ControlError("no network_status in api.py") }
        let rest = text[start.upperBound...]
        let body = rest.range(of: "\ndef ").map { rest[..<$0.lowerBound] } ?? rest
        guard let dhtPart = body.range(of: "\n    if dht:"),
            let update = body.range(of: "r['dht'].update(", range: dhtPart.upperBound..<body.endIndex)
        else { throw ControlError("network_status has no dht part") }
        func names(_ s: Substring) -> Set<String> {
            var out: Set<String> = []
            var scan = s[...]
            while let q = scan.range(of: "'") {
                let after = scan[q.upperBound...]
                guard let close = after.range(of: "'") else { break }
                let name = after[..<close.lowerBound]
                let tail = after[close.upperBound...]
                if tail.hasPrefix(":"), !name.isEmpty, name.allSatisfy({ $0.isLetter || $0 == "_" }) { out.insert(String(name)) }
                scan = tail
            }
            return out
        }
        let layerNames = names(body[dhtPart.upperBound..<update.lowerBound])
        let tail = body[update.upperBound...]
        let close = tail.range(of: "})").map { tail[..<$0.lowerBound] } ?? tail
        return (names(close), layerNames)
    }
}
