import BitDustRecords
import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import Logging
import Synchronization

/// A private network of in-process nodes on 127.0.0.1 (random ports, nothing on disk) for trying
/// the console without the internet; `startTraffic` keeps a little activity going (stores of
/// `skip_validation` records, gets, pings, and now and then a node leaving and coming back).
///
/// Contract: create with `start(count:)`; every method may be called from any thread except a
/// node's queue. The traffic runs on the sandbox's private serial queue and is bounded: at most
/// 40 distinct keys, one operation per step, at most one node down at a time. `stop()` stops
/// the traffic and every node. Reads no clock itself (the nodes read theirs). Thread-safe.
public final class Sandbox: Sendable {
    /// The nodes' addresses, in order; the first is the genesis node everyone joins through.
    public var endpoints: [Endpoint] { slots.withLock { $0.map(\.endpoint) } }
    /// The nodes running now (a node that has left is missing).
    public var runningNodes: [DHTNode] { slots.withLock { $0.compactMap(\.node) } }

    struct Slot: Sendable {
        var endpoint: Endpoint
        var node: DHTNode?
    }

    let slots: Mutex<[Slot]>
    let logger: Logger
    let queue = DispatchQueue(label: "dhtop.sandbox")
    let traffic = Mutex<SandboxTraffic?>(nil)

    private init(slots: [Slot], logger: Logger) {
        self.slots = Mutex(slots)
        self.logger = logger
    }

    /// Starts `count` nodes (1…64): the first starts a network of its own, the others join it.
    public static func start(count: Int, logger: Logger = Logger(label: "dhtop.sandbox")) async throws -> Sandbox {
        let n = min(max(count, 1), 64)
        let genesis = try makeNode(port: 0, seeds: [], logger: logger)
        let first = Endpoint(address: Endpoint.loopback, port: genesis.port)
        var slots = [Slot(endpoint: first, node: genesis)]
        _ = await genesis.join()
        do {
            for _ in 1..<n {
                let node = try makeNode(port: 0, seeds: [first], logger: logger)
                slots.append(Slot(endpoint: Endpoint(address: Endpoint.loopback, port: node.port), node: node))
            }
        } catch {
            for slot in slots { slot.node?.stop() }
            throw error
        }
        await withTaskGroup(of: Void.self) { group in
            for slot in slots.dropFirst() {
                if let node = slot.node { group.addTask { _ = await node.join() } }
            }
        }
        return Sandbox(slots: slots, logger: logger)
    }

    /// One sandbox node: 127.0.0.1, no data directory, BitDust's store rule, 2 s RPC timeout.
    static func makeNode(port: UInt16, seeds: [Endpoint], logger: Logger) throws -> DHTNode {
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = port
        options.dataDirectory = nil
        options.seeds = seeds
        options.attach = true
        options.storeRule = BitDustStoreRule.rule
        options.engine.rpcTimeout = .seconds(2)
        let node = try DHTNode(options: options, logger: logger)
        node.start()
        return node
    }

    /// Starts the traffic loop: one step every `interval`, a node leaves or comes back every
    /// `churnEvery` steps (0: never).
    public func startTraffic(interval: DispatchTimeInterval = .milliseconds(1500), churnEvery: Int = 20) {
        let traffic = SandboxTraffic(sandbox: self, churnEvery: churnEvery)
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { @Sendable in traffic.step() }
        traffic.timer = timer
        timer.resume()
        self.traffic.withLock { $0 = traffic }
    }

    /// Stops the traffic and every node (blocks until the nodes have stopped).
    public func stop() {
        if let traffic = self.traffic.withLock({ t in
            defer { t = nil }
            return t
        }) {
            queue.sync { traffic.timer?.cancel() }
        }
        let nodes = slots.withLock { list -> [DHTNode] in
            defer { for i in list.indices { list[i].node = nil } }
            return list.compactMap(\.node)
        }
        for node in nodes { node.stop() }
    }
}
