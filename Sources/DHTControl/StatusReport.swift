import NodeAPI
import DHTCore
import DHTRuntime
import DHTWire

/// `dhtop status --json`: a superset of BitDust's `network_status(dht=1)`. The `dht` object has
/// BitDust's shape and names; the rest are dhtop's extras. A value type; built on any thread
/// from a snapshot (never reads a clock itself).
public struct StatusReport: Sendable, Hashable, Codable {
    /// BitDust's `dht` object.
    public struct DHT: Sendable, Hashable, Codable {
        public var udpPort: Int
        public var bytesReceived: Int
        public var bytesSent: Int
        public var layers: [Layer]
        enum CodingKeys: String, CodingKey {
            case udpPort = "udp_port", bytesReceived = "bytes_received", bytesSent = "bytes_sent", layers
        }
    }

    /// One entry of BitDust's `layers` list.
    public struct Layer: Sendable, Hashable, Codable {
        public var layerID: Int
        /// Records held on the layer.
        public var dataStoreItems: Int
        /// Entries the `request` RPC answers (node data).
        public var nodeItems: Int
        public var nodeID: String
        public var buckets: Int
        public var contacts: Int
        public var attached: Bool
        public var active: Bool
        public var packetsReceived: Int
        public var packetsSent: Int
        public var rpcCalls: [String: Int]
        /// By method, plus `timeout`.
        public var rpcResponses: [String: Int]
        /// dhtop extra: the layer's state name.
        public var state: String
        /// dhtop extra: how the layer stands with the network (`joined`, `genesis`, `joining`,
        /// `alone`), the same in one line with the reason, and the last attempt's failures.
        public var join: String?
        public var joinText: String?
        public var joinFailures: JoinFailureCounts?
        /// dhtop extra: the network-size estimate from lookups, with its 95 % interval.
        public var networkSize: NetworkSizeEstimate?
        enum CodingKeys: String, CodingKey {
            case layerID = "layer_id", dataStoreItems = "data_store_items", nodeItems = "node_items", nodeID = "node_id"
            case buckets, contacts, attached, active, state, join
            case joinText = "join_text", joinFailures = "join_failures", networkSize = "network_size"
            case packetsReceived = "packets_received", packetsSent = "packets_sent", rpcCalls = "rpc_calls", rpcResponses = "rpc_responses"
        }
    }

    /// A layer's join attempts and the last one's failures by kind (dhtop extra).
    public struct JoinFailureCounts: Sendable, Hashable, Codable {
        public var attempt: Int
        public var seeds: Int
        public var dns: Int
        public var noAnswer: Int
        public var refused: Int
        public var nextAttemptInSeconds: Double?
        enum CodingKeys: String, CodingKey {
            case attempt, seeds, dns, refused
            case noAnswer = "no_answer", nextAttemptInSeconds = "next_attempt_in_seconds"
        }
    }

    /// Contacts of every layer by health.
    public struct Health: Sendable, Hashable, Codable {
        public var good: Int
        public var questionable: Int
        public var bad: Int
    }

    /// Group-commit figures of the storage writer.
    public struct Storage: Sendable, Hashable, Codable {
        public var commits: Int
        public var submits: Int
    }

    public var dht: DHT
    public var version: String
    public var pid: Int32
    public var address: String
    public var dataDir: String
    public var startedAt: Double
    public var uptimeSeconds: Double
    public var datagramsReceived: Int
    public var datagramsSent: Int
    /// Datagrams dropped, by reason.
    public var dropped: [String: Int]
    /// Datagrams dropped by the per-source rate limit (also in `dropped`).
    public var rateLimited: Int
    public var rateLimit: RateLimitStatus
    public var unsolicitedRequests: Int
    public var pendingRPCs: Int
    public var runningLookups: Int
    public var storage: Storage?
    public var contacts: Health
    /// Consoles and scripts connected to the control socket.
    public var controlClients: Int
    /// Bytes held against the storage quota, and storage failures.
    public var storageQuota: StorageUse?
    /// Round-trip times of our calls, by method (absent from older nodes).
    public var rpcLatency: [LatencyReport]?

    enum CodingKeys: String, CodingKey {
        case dht, version, pid, address, storage, contacts, dropped
        case dataDir = "data_dir", startedAt = "started_at", uptimeSeconds = "uptime_seconds"
        case datagramsReceived = "datagrams_received", datagramsSent = "datagrams_sent", rateLimited = "rate_limited"
        case rateLimit = "rate_limit", unsolicitedRequests = "unsolicited_requests", pendingRPCs = "pending_rpcs"
        case runningLookups = "running_lookups", controlClients = "control_clients", storageQuota = "storage_quota"
        case rpcLatency = "rpc_latency"
    }

    /// What a status needs besides the snapshot.
    public struct Extras: Sendable {
        public var version: String
        public var pid: Int32
        public var udpPort: UInt16
        public var nodeItems: [Int: Int]
        public var rateLimit: RateLimitStatus
        public var storage: (commits: Int, submits: Int)?
        public var controlClients: Int
        public var storageQuota: StorageUse?
        public var rpcLatency: [String: LatencyHistogram]
        public init(
            version: String, pid: Int32, udpPort: UInt16, nodeItems: [Int: Int], rateLimit: RateLimitStatus,
            storage: (commits: Int, submits: Int)?, controlClients: Int, storageQuota: StorageUse? = nil,
            rpcLatency: [String: LatencyHistogram] = [:]
        ) {
            self.storageQuota = storageQuota
            self.rpcLatency = rpcLatency
            self.version = version
            self.pid = pid
            self.udpPort = udpPort
            self.nodeItems = nodeItems
            self.rateLimit = rateLimit
            self.storage = storage
            self.controlClients = controlClients
        }
    }

    /// The report for `snapshot`, taken at `snapshot.takenAt`.
    public init(snapshot s: NodeSnapshot, extras x: Extras) {
        var health = Health(good: 0, questionable: 0, bad: 0)
        let layers = s.layers.map { l -> Layer in
            let contacts = l.buckets.flatMap(\.contacts)
            for c in contacts {
                switch c.health(now: s.takenAt) {
                case .good: health.good += 1
                case .questionable: health.questionable += 1
                case .bad: health.bad += 1
                }
            }
            let counters = s.counters.layers[l.layer] ?? Counters.Layer()
            var layer = Layer(
                layerID: l.layer, dataStoreItems: l.records.count, nodeItems: x.nodeItems[l.layer] ?? 0,
                nodeID: l.nodeID.hex, buckets: l.buckets.count, contacts: contacts.count,
                attached: l.state == .attached, active: l.state != .created,
                packetsReceived: counters.packetsReceived, packetsSent: counters.packetsSent,
                rpcCalls: counters.rpcCalls, rpcResponses: counters.rpcResponses, state: l.state.rawValue)
            layer.join = l.joinState?.name
            layer.joinText = l.joinState?.description(now: s.takenAt)
            layer.joinFailures = l.joinState?.progress.map {
                JoinFailureCounts(
                    attempt: $0.attempt, seeds: $0.seeds, dns: $0.last.dns, noAnswer: $0.last.noAnswer,
                    refused: $0.last.refused, nextAttemptInSeconds: $0.nextAttemptAt.map { max(0, ($0 - s.takenAt).seconds) })
            }
            layer.networkSize = l.sizeEstimate
            return layer
        }
        dht = DHT(udpPort: Int(x.udpPort), bytesReceived: s.counters.bytesReceived, bytesSent: s.counters.bytesSent, layers: layers)
        version = x.version
        pid = x.pid
        address = s.addressText
        dataDir = s.dataDirectory
        startedAt = s.startedAt.seconds
        uptimeSeconds = max(0, (s.takenAt - s.startedAt).seconds)
        datagramsReceived = s.counters.datagramsReceived
        datagramsSent = s.counters.datagramsSent
        dropped = s.counters.dropped
        rateLimited = s.counters.dropped[DropReason.rateLimited.counterName] ?? 0
        rateLimit = x.rateLimit
        unsolicitedRequests = s.counters.unsolicitedRequests
        pendingRPCs = s.pending.count
        runningLookups = s.lookups.count
        storage = x.storage.map { Storage(commits: $0.commits, submits: $0.submits) }
        contacts = health
        controlClients = x.controlClients
        storageQuota = x.storageQuota
        rpcLatency = LatencyReport.all(x.rpcLatency)
    }
}
