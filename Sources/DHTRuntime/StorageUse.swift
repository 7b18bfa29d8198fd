/// What a node's records take against its storage quota, and how often storage failed: what
/// `status` shows under "storage quota". A value type; thread-safe.
public struct StorageUse: Sendable, Hashable, Codable {
    /// Bytes charged for the records of every layer (key + bencoded value + a fixed overhead).
    public var heldBytes: Int
    /// The quota of one layer (`EngineConfiguration.storageQuotaBytes`).
    public var layerQuotaBytes: Int
    /// The quota of all layers together (`EngineConfiguration.storageTotalQuotaBytes`).
    public var totalQuotaBytes: Int
    /// Persist effects that failed (a full disk, an I/O error) since the node started; each one
    /// answered its stores with an error and took their records back out of memory.
    public var failures: Int
    /// The latest storage error's message, if any.
    public var lastError: String?

    public init(heldBytes: Int, layerQuotaBytes: Int, totalQuotaBytes: Int, failures: Int, lastError: String?) {
        self.heldBytes = heldBytes
        self.layerQuotaBytes = layerQuotaBytes
        self.totalQuotaBytes = totalQuotaBytes
        self.failures = failures
        self.lastError = lastError
    }

    enum CodingKeys: String, CodingKey {
        case heldBytes = "held_bytes", layerQuotaBytes = "layer_quota_bytes", totalQuotaBytes = "total_quota_bytes"
        case failures, lastError = "last_error"
    }
}
