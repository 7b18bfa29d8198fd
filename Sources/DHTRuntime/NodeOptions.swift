import DHTCore
import DHTWire

/// How to run a node: address, data directory, layers, seeds. A value type.
public struct NodeOptions: Sendable {
    public var host: String = "0.0.0.0"
    /// 0 picks a free port.
    public var port: UInt16 = 14441
    /// nil: an ephemeral node that keeps nothing on disk (the one-shot CLI commands).
    public var dataDirectory: String?
    /// The layers to create and join; layer 0 is always included.
    public var layers: [Int] = [0]
    /// Seed addresses; empty (with no unresolved names) starts a network of its own (BitDust's
    /// `genesis`).
    public var seeds: [Endpoint] = []
    /// Seed names that did not resolve at start (DNS failures): with no address left the node is
    /// alone, not genesis, and keeps retrying.
    public var unresolvedSeeds: Int = 0
    /// Resolves the seed names again before a join retry; called off the node's queue (it may
    /// block on DNS). nil: retries use `seeds` as they are.
    public var seedResolver: (@Sendable () -> SeedSet)?
    /// Attached: our calls are REQUESTs and peers keep us in their tables (a long-running node);
    /// unattached: QUESTIONs (the one-shot commands).
    public var attach: Bool = true
    public var engine = EngineConfiguration()
    /// The store check the engine runs when validating; nil keeps the engine's default.
    public var storeRule: StoreRule?

    public init() {}
}
