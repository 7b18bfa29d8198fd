import BitDustRecords
import DHTCore
import DHTRuntime
import DHTStorage
import DHTWire

/// In-process nodes on 127.0.0.1 with a random port, a 2 s RPC timeout and BitDust's store
/// rule. Each node runs on its own queues (DHTNode's contract); reads no clock itself.
public enum Loopback {
    /// A started node; `seeds` empty makes it a genesis node.
    public static func node(
        seeds: [Endpoint] = [], layers: [Int] = [0], dataDirectory: String? = nil,
        validate: Bool = true
    ) throws -> DHTNode {
        try started(options(seeds: seeds, layers: layers, dataDirectory: dataDirectory, validate: validate))
    }

    /// A node on layer 0 whose id is `id`: its data directory (a fresh one under the system's
    /// temporary directory, returned for removal) is made with that id before the node opens it.
    public static func node(
        id: NodeID, seeds: [Endpoint] = [], attach: Bool = true, validate: Bool = false
    ) throws -> (node: DHTNode, directory: String) {
        let directory = temporaryDirectory()
        let db = try NodeDatabase(directory: directory)
        try db.setNodeID(id, layer: 0)
        db.close()
        var options = options(seeds: seeds, layers: [0], dataDirectory: directory, validate: validate)
        options.attach = attach
        return (try started(options), directory)
    }

    /// The options every loopback node shares.
    static func options(seeds: [Endpoint], layers: [Int], dataDirectory: String?, validate: Bool) -> NodeOptions {
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.seeds = seeds
        options.layers = layers
        options.dataDirectory = dataDirectory
        options.engine.rpcTimeout = .seconds(2)
        options.engine.validateStores = validate
        options.storeRule = BitDustStoreRule.rule
        return options
    }

    static func started(_ options: NodeOptions) throws -> DHTNode {
        let node = try DHTNode(options: options)
        node.start()
        return node
    }

    public static func endpoint(_ node: DHTNode) -> Endpoint { Endpoint(address: Endpoint.loopback, port: node.port) }

    /// A fresh empty directory under the system's temporary directory.
    public static func temporaryDirectory() -> String { TemporaryDirectory.create() }
}
