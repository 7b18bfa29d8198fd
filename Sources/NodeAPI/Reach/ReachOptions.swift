import BitDustRecords
import DHTCore
import DHTWire

/// What `watch` polls: a KEY (the key rule of `KeyArgument`) or a BitDust record's key. A value
/// type; thread-safe.
public enum WatchTarget: Sendable, Hashable {
    case key(KeyArgument)
    case record(type: RecordType, parts: [String])

    /// The DHT key polled; nil when record parts do not make a key (refused before it runs).
    public var id: NodeID? {
        switch self {
        case .key(let k): return k.id
        case .record(let type, let parts): return (try? RecordKey.parse(type: type, parts: parts))?.hash
        }
    }

    /// How it reads in a command echo: `KEY`, `--raw-key HEX`, `--record TYPE PARTS…`.
    public var text: String {
        switch self {
        case .key(let k): return k.commandText
        case .record(let type, let parts): return (["--record", type.rawValue] + parts).joined(separator: " ")
        }
    }
}

/// How often `watch` polls and when it ends. A value type; thread-safe.
public struct WatchOptions: Sendable, Hashable {
    /// Seconds between polls at first (clamped to `ReachLimits.watchInterval`); doubles while
    /// nothing changes, up to `watchBackoffFactor` times, and falls back at each change.
    public var intervalSeconds: Int
    /// Reports (the first value found, then each change) before the watch ends.
    public var count: Int
    /// The time budget in seconds (clamped to `ReachLimits.watchSeconds`): the watch ends then
    /// even when fewer reports were made.
    public var seconds: Int

    public init(intervalSeconds: Int = ReachLimits.watchDefaultInterval, count: Int = 1, seconds: Int = ReachLimits.watchDefaultSeconds) {
        self.intervalSeconds = Saturating.clamp(intervalSeconds, to: ReachLimits.watchInterval)
        self.count = Saturating.clamp(count, to: ReachLimits.watchCount)
        self.seconds = Saturating.clamp(seconds, to: ReachLimits.watchSeconds)
    }
}

/// How fast and how far `crawl` goes. A value type; thread-safe.
public struct CrawlOptions: Sendable, Hashable {
    /// RPCs started per second (clamped to `ReachLimits.crawlRate`).
    public var rate: Int
    /// Nodes visited at most (clamped to `ReachLimits.crawlMaxNodes`).
    public var maxNodes: Int

    public init(rate: Int = ReachLimits.crawlDefaultRate, maxNodes: Int = ReachLimits.crawlDefaultMaxNodes) {
        self.rate = Saturating.clamp(rate, to: ReachLimits.crawlRate)
        self.maxNodes = Saturating.clamp(maxNodes, to: ReachLimits.crawlMaxNodes)
    }
}

/// How `discover` searches. A value type; thread-safe.
public struct DiscoverOptions: Sendable, Hashable {
    /// Distinct providers wanted (clamped to `ReachLimits.discoverCount`).
    public var count: Int
    /// The time budget in seconds (clamped to `ReachLimits.discoverSeconds`).
    public var seconds: Int

    public init(count: Int = ReachLimits.discoverDefaultCount, seconds: Int = ReachLimits.discoverDefaultSeconds) {
        self.count = Saturating.clamp(count, to: ReachLimits.discoverCount)
        self.seconds = Saturating.clamp(seconds, to: ReachLimits.discoverSeconds)
    }

    /// The node-data name a provider answers on `layer` (spec §7: `location` on layer 9,
    /// `idurl` elsewhere).
    public static func requestName(layer: Int) -> String { layer == 9 ? "location" : "idurl" }
}
