import BitDustRecords
import DHTCore
import DHTRuntime
import DHTWire
import FoundationEssentials
import NodeAPI
import ProcessLaunch
#if canImport(Glibc)
    import Glibc
#endif

/// The figures `dhtop bench` prints: codec speed, RPCs served per second on loopback, lookup
/// latency in a loopback network, idle memory. Prints figures; asserts nothing. Blocking; run
/// from one thread. Every socket is on 127.0.0.1.
public struct NodeBenchmarks {
    public var seconds: Double = 3
    public var outstanding = 32
    public var networkSize = 50
    /// Where each line of results goes.
    public var report: (String) -> Void = { print($0) }

    public init() {}

    /// Encodes and decodes typical messages (ping, a findNode answer, a store) for `seconds`.
    public func codec() {
        var rng = SystemRandomNumberGenerator()
        let id = { NodeID.random(using: &rng) }
        let contacts: [BValue] = (0..<4).map { i in .list([.bytes(id().hexUTF8), "127.0.0.1", .int(14441 + Int64(i)), 0]) }
        let value = BValue.string("{\"type\":\"skip_validation\",\"payload\":\"" + String(repeating: "a", count: 200) + "\"}")
        let messages = [
            WireMessage(rpcID: id(), sender: id(), layer: 0, body: .request(method: "ping", args: [])),
            WireMessage(rpcID: id(), sender: id(), layer: 0, body: .response(.list(contacts))),
            WireMessage(
                rpcID: id(), sender: id(), layer: 0,
                body: .request(
                    method: "store",
                    args: [.bytes(id().hexUTF8), value, .bytes(id().hexUTF8), 0, 43200]))
        ]
        let encoded = messages.map { MessageCodec.encode($0) }
        var count = 0
        let start = monotonicNanos()
        let end = start + UInt64(seconds * 1e9)
        while monotonicNanos() < end {
            for _ in 0..<1000 {
                let bytes = encoded[count % encoded.count]
                if let m = try? MessageCodec.decode(bytes) { _ = MessageCodec.encode(m) }
                count += 1
            }
        }
        let elapsed = Double(monotonicNanos() - start) / 1e9
        report("codec: \(Format.fixed(Double(count) / elapsed, 0)) messages/s decoded and re-encoded (ping, findNode answer, 250-byte store)")
    }

    /// Starts a genesis node on 127.0.0.1 (durable when `dataDirectory` is given).
    func startNode(dataDirectory: String?) async throws -> DHTNode {
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.dataDirectory = dataDirectory
        options.engine.validateStores = true
        options.storeRule = BitDustStoreRule.rule
        // The load comes from one address: no per-source rate limit, and room for every store
        // (one address may otherwise hold only a quarter of the 64 MiB layer quota).
        options.engine.rateLimit = nil
        options.engine.storageQuotaBytes = 4 << 30
        options.engine.storageTotalQuotaBytes = 4 << 30
        let node = try DHTNode(options: options)
        node.start()
        _ = await node.join()
        return node
    }

    /// Datagrams a bare echo server (`EchoFloor`: the node's socket calls, no work) sends back
    /// per second under the same load: the floor every figure below is compared with.
    func echoFloor() throws -> LoadGenerator.Result {
        let echo = try EchoFloor()
        defer { echo.stop() }
        var generator = LoadGenerator(target: echo.endpoint)
        generator.outstanding = outstanding
        generator.duration = seconds
        return try generator.run(method: "ping", args: [])
    }

    /// ` (0.62 of the floor; 9.1 µs server CPU per answer, 0.70 of the floor by CPU)`: the
    /// second ratio is the floor's CPU per answer over this one's.
    func ofFloor(_ r: LoadGenerator.Result, _ floor: Double, floorCPU: Double) -> String {
        guard floor > 0 else { return "" }
        let cpu = r.serverCPUMicros > 0 ? Format.fixed(floorCPU / r.serverCPUMicros, 2) : "-"
        return " (\(Format.fixed(r.perSecond / floor, 2)) of the floor; \(Format.fixed(r.serverCPUMicros, 1)) µs server CPU per answer, "
            + "\(cpu) of the floor by CPU)"
    }

    /// Rounds of ping and findValue, alternating, that share `seconds` each.
    static let pingFindRounds = 5

    /// ping, findValue and durable store served per second with `outstanding` in flight, each
    /// next to the echo floor measured in the same run (before and after; the ratio uses their
    /// mean). ping and findValue run in alternating rounds (`pingFindRounds`).
    public func rpcThroughput() async throws {
        let before = try echoFloor()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dhtop-bench-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try await startNode(dataDirectory: dir)
        defer { node.stop() }
        var generator = LoadGenerator(target: Endpoint(address: Endpoint.loopback, port: node.port))
        generator.outstanding = outstanding
        generator.duration = seconds
        let key = DHTKey.hash("bench-key").hex
        var warm = generator
        warm.duration = 0.2
        _ = try warm.run { _ in ("store", [.string(key), .string("{\"type\":\"skip_validation\",\"n\":1}")]) }
        // Ping and findValue in alternating short rounds, so that the machine's swings hit both
        // alike; the ratio printed is the median of the rounds' ratios.
        var round = generator
        round.duration = seconds / Double(Self.pingFindRounds)
        var pings: [LoadGenerator.Result] = [], finds: [LoadGenerator.Result] = []
        for _ in 0..<Self.pingFindRounds {
            pings.append(try round.run(method: "ping", args: []))
            finds.append(try round.run(method: "findValue", args: [.string(key)]))
        }
        let ping = LoadGenerator.Result(merging: pings), find = LoadGenerator.Result(merging: finds)
        let ratios = zip(finds, pings).compactMap { f, p in p.perSecond > 0 ? f.perSecond / p.perSecond : nil }.sorted()
        let store = try generator.run { i in
            ("store", [.bytes(Self.storeKey(i)), .string("{\"type\":\"skip_validation\",\"i\":\(i)}")])
        }
        let after = try echoFloor()
        let floor = (before.perSecond + after.perSecond) / 2
        let floorCPU = (before.serverCPUMicros + after.serverCPUMicros) / 2
        report(
            "echo floor (the node's socket calls, no work): \(Format.fixed(before.perSecond, 0))/s before, "
                + "\(Format.fixed(after.perSecond, 0))/s after, \(outstanding) outstanding; "
                + "\(Format.fixed(floorCPU, 1)) µs server CPU per answer")
        report(line("ping", ping) + ofFloor(ping, floor, floorCPU: floorCPU))
        let findVsPing =
            ratios.isEmpty
            ? "" : ", \(Format.fixed(ratios[ratios.count / 2], 2)) of ping (median of \(ratios.count) alternating rounds)"
        report(line("findValue", find) + ofFloor(find, floor, floorCPU: floorCPU) + findVsPing)
        let commits =
            node.storageCommits.map { c in
                ", \(Format.fixed(Double(c.submits) / Double(max(1, c.commits)), 1)) stores per commit, "
                    + "\(Format.fixed(Double(c.submits) / Double(max(1, node.storageSyncs ?? 0)), 1)) per fsync"
            } ?? ""
        report(line("store (durable, group commit)", store) + ofFloor(store, floor, floorCPU: floorCPU) + commits)
    }

    /// The `i`th store's key: 40 hex digits spread like a hash's (SplitMix64 of `i`), cheap for
    /// the load generator, which shares the machine with the node.
    static func storeKey(_ i: Int) -> [UInt8] {
        var state = UInt64(truncatingIfNeeded: i)
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return NodeID(high: next(), middle: next(), low: UInt32(truncatingIfNeeded: next())).hexUTF8
    }

    /// Pings served per second by `dhtop node` (started from `executable`, durable, genesis)
    /// with its control socket on and nobody attached, next to the same node with
    /// `--no-control-socket`: both run at once and are loaded in turn, three rounds each, so
    /// that the machine's load swings hit both alike.
    public func controlSocketCost(executable: String) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dhtop-bench-ctl-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var nodes: [(withSocket: Bool, child: SpawnedProcess, port: UInt16)] = []
        defer {
            for n in nodes { n.child.signal(SIGTERM) }
            for n in nodes { n.child.wait() }
        }
        for withSocket in [true, false] {
            let probe = try UDPSocket(host: "127.0.0.1", port: 0)
            let port = probe.local.port
            probe.close()
            let data = dir + (withSocket ? "/on" : "/off")
            let control = withSocket ? ["--control-socket", data + "/control.sock"] : ["--no-control-socket"]
            let child = try SpawnedProcess(
                path: executable,
                arguments: ["node", "--host", "127.0.0.1", "--port", "\(port)", "--seed", "genesis", "--data-dir", data] + control)
            nodes.append((withSocket, child, port))
        }
        for n in nodes {
            var probe = LoadGenerator(target: Endpoint(address: Endpoint.loopback, port: n.port))
            probe.duration = 0.2
            var answered = false
            for _ in 0..<100 where !answered { answered = try probe.run(method: "ping", args: []).answered > 0 }
            guard answered else {
                report("control socket cost: the node at port \(n.port) never answered")
                return
            }
        }
        var served: [Bool: Double] = [:], cpu: [Bool: Double] = [:]
        for _ in 0..<3 {
            for n in nodes {
                var generator = LoadGenerator(target: Endpoint(address: Endpoint.loopback, port: n.port))
                generator.outstanding = outstanding
                generator.duration = seconds
                let cpu0 = Self.cpuSeconds(of: n.child.pid)
                let r = try generator.run(method: "ping", args: [])
                served[n.withSocket, default: 0] += r.perSecond / 3
                cpu[n.withSocket, default: 0] += r.answered > 0 ? (Self.cpuSeconds(of: n.child.pid) - cpu0) * 1e6 / Double(r.answered) / 3 : 0
            }
        }
        let on = served[true] ?? 0, off = served[false] ?? 0, cpuOn = cpu[true] ?? 0, cpuOff = cpu[false] ?? 0
        report(
            "dhtop node pings served, control socket on and idle: \(Format.fixed(on, 0))/s, \(Format.fixed(cpuOn, 1)) µs CPU each; "
                + "--no-control-socket: \(Format.fixed(off, 0))/s, \(Format.fixed(cpuOff, 1)) µs CPU each "
                + "(on/off: \(off > 0 ? Format.fixed(on / off, 2) : "-") by rate, \(cpuOn > 0 ? Format.fixed(cpuOff / cpuOn, 2) : "-") by CPU)")
    }

    /// User and system CPU seconds of process `pid` so far (/proc/PID/stat, in clock ticks).
    static func cpuSeconds(of pid: pid_t) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// ping and findValue served per second by any node at `target` (ours or a reference node),
    /// so that two nodes can be compared side by side on the same machine.
    public func rpcThroughput(of target: Endpoint) throws {
        var generator = LoadGenerator(target: target)
        generator.outstanding = outstanding
        generator.duration = seconds
        report(line("ping \(target)", try generator.run(method: "ping", args: [])))
        let key = DHTKey.hash("bench-absent-key").hex
        report(line("findValue (absent key) \(target)", try generator.run(method: "findValue", args: [.string(key)])))
    }

    private func line(_ name: String, _ r: LoadGenerator.Result) -> String {
        "\(name): \(Format.fixed(r.perSecond, 0))/s served, \(outstanding) outstanding, median \(Format.fixed(r.medianMicros, 0)) µs"
            + (r.errors > 0 ? " (\(r.errors) error replies)" : "")
    }

    /// Median get latency and rounds in a network of `networkSize` nodes on loopback.
    public func lookupLatency() async throws {
        var nodes: [DHTNode] = []
        defer { for n in nodes { n.stop() } }
        let first = try await startNode(dataDirectory: nil)
        nodes.append(first)
        for _ in 1..<networkSize {
            var options = NodeOptions()
            options.host = "127.0.0.1"
            options.port = 0
            options.seeds = [Endpoint(address: Endpoint.loopback, port: first.port)]
            let node = try DHTNode(options: options)
            node.start()
            _ = await node.join()
            nodes.append(node)
        }
        var latencies: [Double] = []
        var rounds: [Int] = []
        for i in 0..<20 {
            let key = DHTKey.hash("latency-\(i)")
            _ = await nodes[i % nodes.count].perform(
                .store(
                    key: key, value: .string("{\"type\":\"skip_validation\",\"i\":\(i)}"),
                    expireSeconds: 3600, layer: 0))
            let reader = nodes[(i * 7 + 3) % nodes.count]
            let t0 = monotonicNanos()
            let result = await reader.perform(.findValue(key: key, layer: 0, collectAll: false))
            let micros = Double(monotonicNanos() - t0) / 1000
            if case .value(let v) = result, v.found {
                latencies.append(micros)
                rounds.append(v.lookup.rounds)
            }
        }
        latencies.sort()
        rounds.sort()
        let median = latencies.isEmpty ? 0 : latencies[latencies.count / 2]
        let medianRounds = rounds.isEmpty ? 0 : rounds[rounds.count / 2]
        report(
            "get in a \(networkSize)-node loopback network: median \(Format.fixed(median / 1000, 2)) ms, median \(medianRounds) rounds, \(latencies.count) of 20 found"
        )
    }

    /// The resident memory of an idle `dhtop node` started from `executable`, after `settle` seconds.
    public func idleMemory(executable: String, settle: Double = 3) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dhtop-bench-rss-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let child = try SpawnedProcess(
            path: executable, arguments: ["node", "--host", "127.0.0.1", "--port", "0", "--seed", "genesis", "--data-dir", dir])
        usleep(UInt32(settle * 1e6))
        let status = (try? String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)) ?? ""
        child.signal(SIGTERM)
        child.wait()
        func kilobytes(_ field: String) -> Int {
            status.split(separator: "\n").first { $0.hasPrefix(field) }?.split(separator: " ").compactMap { Int($0) }.first ?? 0
        }
        report(
            "idle node: \(Format.fixed(Double(kilobytes("VmRSS:")) / 1024, 1)) MB resident (\(Format.fixed(Double(kilobytes("RssAnon:")) / 1024, 1)) MB private; the rest is shared library pages)"
        )
    }
}
