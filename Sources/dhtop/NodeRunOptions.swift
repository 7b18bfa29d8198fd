import ArgumentParser
import BitDustRecords
import DHTCore
import DHTRuntime
import DHTStorage
import DHTWire
import FoundationEssentials
import Logging

/// The flags of a long-running node, shared by `dhtop node` and the console (`dhtop`), and the
/// start-up both use: resolve seeds, open storage and the socket, set the node data.
/// A value type; `open` blocks briefly (DNS, SQLite) — call it before the node is needed.
struct NodeRunOptions: ParsableArguments {
    /// Used when `--host` / `--port` are not given.
    static let defaultHost = "0.0.0.0"
    static let defaultPort: UInt16 = 14441

    @Option(help: "The IPv4 address to listen on (default 0.0.0.0).")
    var host: String?

    @Option(
        name: .customLong("port"), parsing: .unconditional,
        help: ArgumentHelp(
            "The UDP port to listen on (0-65535; 0 picks a free one; default 14441).", valueName: "port"))
    var portNumber: Int?

    @OptionGroup var seedOptions: SeedOptions

    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Where records and node ids are kept. Default: $XDG_DATA_HOME/dhtop, else ~/.local/share/dhtop.", valueName: "path"))
    var dataDirectory: String?

    @Option(name: .customLong("layer"), parsing: .unconditionalSingleValue, help: "A layer to create and join besides 0 (0-9, repeatable).")
    var layers: [Int] = []

    @Flag(name: .customLong("no-validate"), help: "Accept any stored value (skip BitDust's JSON record check).")
    var noValidate = false

    @Flag(name: .customLong("allow-delete"), help: "Serve the unauthenticated delete RPC.")
    var allowDelete = false

    @Option(name: .customLong("rpc-timeout"), parsing: .unconditional, help: ArgumentHelp("Seconds before an RPC counts as lost.", valueName: "seconds"))
    var rpcTimeout: Double?

    @Option(name: .customLong("k"), parsing: .unconditional, help: "Bucket size and lookup width (1-64; BitDust: 4).")
    var k: Int?

    @Option(name: .customLong("alpha"), parsing: .unconditional, help: "Parallel RPCs per lookup (1-64; BitDust: 4).")
    var alpha: Int?

    @Option(
        name: .customLong("node-data"),
        help: ArgumentHelp(
            "What the request RPC answers for NAME, on every layer (repeatable).", valueName: "name=value"))
    var nodeData: [String] = []

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info

    @Option(
        name: .customLong("rate-limit"), parsing: .unconditional,
        help: ArgumentHelp(
            "Datagrams a second accepted from one source address (0 turns the limit off).", valueName: "n"))
    var rateLimit: Double = 200

    @Option(name: .customLong("rate-burst"), parsing: .unconditional, help: ArgumentHelp("Datagrams one source may send at once.", valueName: "n"))
    var rateBurst: Double = 400

    @Flag(name: .customLong("rate-limit-loopback"), help: "Apply the rate limit to 127.0.0.0/8 too.")
    var rateLimitLoopback = false

    @Option(
        name: .customLong("storage-quota"), parsing: .unconditional,
        help: ArgumentHelp(
            "Bytes of records one layer keeps (key + value + 128 per record; K/M/G suffixes; default 64M). Also their RAM budget.",
            valueName: "bytes"))
    var storageQuota: String?

    @Option(
        name: .customLong("storage-total"), parsing: .unconditional,
        help: ArgumentHelp(
            "Bytes of records all layers keep together (default: twice --storage-quota, 128M).", valueName: "bytes"))
    var storageTotal: String?

    /// `--port` (checked by `validate` to be 0–65535).
    var port: UInt16? { portNumber.flatMap { UInt16(exactly: $0) } }

    func validate() throws {
        if let host, Endpoint.parseIPv4(host) == nil { throw ValidationError("--host '\(host)' is not an IPv4 address") }
        if let portNumber { try NumberCheck.check(portNumber, "--port", 0...65535) }
        for layer in layers { try checkLayer(layer) }
        if let rpcTimeout { try NumberCheck.positive(rpcTimeout, "--rpc-timeout", max: 3600, unit: " seconds") }
        if let k { try NumberCheck.check(k, "--k", 1...64) }
        if let alpha { try NumberCheck.check(alpha, "--alpha", 1...64) }
        _ = try parsedNodeData()
        try NumberCheck.check(rateLimit, "--rate-limit", 0...1_000_000, unit: " datagrams a second")
        try NumberCheck.check(rateBurst, "--rate-burst", 1...1_000_000, unit: " datagrams")
        _ = try storageQuotas()
    }

    /// The `--storage-quota` and `--storage-total` sizes (nil: the engine's defaults).
    func storageQuotas() throws(ValidationError) -> (layer: Int?, total: Int?) {
        func size(_ text: String?, _ flag: String) throws(ValidationError) -> Int? {
            guard let text else { return nil }
            guard let n = ByteCount.parse(text), n >= 1024 else {
                throw ValidationError("\(flag) '\(text)' is not a size of at least 1K (bytes, or with a K, M, G or T suffix)")
            }
            return n
        }
        return (try size(storageQuota, "--storage-quota"), try size(storageTotal, "--storage-total"))
    }

    /// Fails when there is neither `--data-dir` nor a default data directory.
    func requireDataDirectory() throws {
        if dataDirectory == nil && Self.defaultDataDirectory() == nil {
            throw ValidationError("neither XDG_DATA_HOME nor HOME is set; give --data-dir")
        }
    }

    /// `$XDG_DATA_HOME/dhtop`, else `~/.local/share/dhtop`.
    static func defaultDataDirectory() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/dhtop" }
        if let home = env["HOME"], !home.isEmpty { return home + "/.local/share/dhtop" }
        return nil
    }

    /// The `--node-data` pairs, in order.
    func parsedNodeData() throws(ValidationError) -> [(String, String)] {
        try nodeData.map { item throws(ValidationError) in
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("--node-data '\(item)' is not NAME=VALUE")
            }
            return (String(item[..<eq]), String(item[item.index(after: eq)...]))
        }
    }

    /// The seeds to join through: the resolved `--seed` values (BitDust's public seeds when none
    /// was given), empty for genesis. Notes unresolvable hosts on stderr.
    func resolveSeeds() -> [Endpoint] {
        let seeds = SeedResolver.resolve(seedOptions.effectiveSeeds)
        if !seedOptions.isGenesis && seeds.isEmpty {
            Output.note("warning: no seed could be resolved; running alone until a peer contacts this node")
        }
        return seeds
    }

    func nodeOptions(seeds: [Endpoint]) -> NodeOptions {
        var options = NodeOptions()
        options.storeRule = BitDustStoreRule.rule
        options.host = host ?? Self.defaultHost
        options.port = port ?? Self.defaultPort
        options.dataDirectory = dataDirectory ?? Self.defaultDataDirectory()
        options.layers = [0] + layers
        options.seeds = seeds
        // Names that did not resolve make the node alone (retrying), never a genesis node; each
        // retry resolves every name again, off the node's queue.
        if !seedOptions.isGenesis {
            let specs = seedOptions.effectiveSeeds
            options.unresolvedSeeds = max(0, SeedResolver.addressCount(specs) - seeds.count)
            options.seedResolver = { SeedResolver.resolveSet(specs) }
        }
        options.attach = true
        options.engine.validateStores = !noValidate
        options.engine.rateLimit =
            rateLimit == 0
            ? nil
            : RateLimitConfiguration(perSecond: rateLimit, burst: rateBurst, exemptLoopback: !rateLimitLoopback)
        options.engine.allowDelete = allowDelete
        if let rpcTimeout { options.engine.rpcTimeout = .milliseconds(Int64(rpcTimeout * 1000)) }
        if let k { options.engine.k = k }
        if let alpha { options.engine.alpha = alpha }
        if let quotas = try? storageQuotas() {
            if let layer = quotas.layer {
                options.engine.storageQuotaBytes = layer
                options.engine.storageTotalQuotaBytes = 2 * layer
            }
            if let total = quotas.total { options.engine.storageTotalQuotaBytes = total }
        }
        return options
    }

    /// Opens storage and the socket and sets the `--node-data` answers (not started yet); a
    /// failure is printed as `dhtop: <reason>` and throws exit 1.
    func openNode(_ options: NodeOptions, logger: Logger) throws -> DHTNode {
        let node: DHTNode
        do {
            node = try DHTNode(options: options, logger: logger)
        } catch let error as StorageError {
            Output.fail(error.message)
            throw ExitCode(DHTop.failureStatus)
        } catch let error as UDPSocket.Failure {
            Output.fail(error.message)
            throw ExitCode(DHTop.failureStatus)
        } catch {
            Output.fail("cannot start the node: \(error)")
            throw ExitCode(DHTop.failureStatus)
        }
        let pairs = try parsedNodeData()
        node.withEngine { engine in
            for layer in engine.layerIDs {
                for (name, value) in pairs { engine.setNodeData(name, .string(value), layer: layer) }
            }
        }
        return node
    }
}
