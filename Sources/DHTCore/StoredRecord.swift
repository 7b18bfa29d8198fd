import DHTWire

/// One stored value: the record of docs/protocol.md §8.2 plus the layer it lives in.
/// A value type; thread-safe.
public struct StoredRecord: Hashable, Sendable {
    /// The DHT layer (0 for every BitDust record).
    public var layer: Int
    /// The key exactly as it came on the wire: normally 40 hex characters.
    public var key: [UInt8]
    /// The value; BitDust stores JSON text, but any bencodable value is kept as given.
    public var value: BValue
    /// Unix seconds of the latest store of this value on this node.
    public var lastPublished: Int64
    /// Unix seconds when the value was first published (`now - age` at store time).
    public var originallyPublished: Int64
    /// The original publisher's id, or nil for the int 0 ("no publisher", docs/protocol.md §8.2).
    public var publisher: NodeID?
    /// Lifetime in seconds, counted from `originallyPublished`.
    public var expireSeconds: Int64

    public init(
        layer: Int, key: [UInt8], value: BValue, lastPublished: Int64, originallyPublished: Int64,
        publisher: NodeID?, expireSeconds: Int64
    ) {
        self.layer = layer
        self.key = key
        self.value = value
        self.lastPublished = lastPublished
        self.originallyPublished = originallyPublished
        self.publisher = publisher
        self.expireSeconds = expireSeconds
    }

    /// Unix seconds at which the record expires (saturating: never traps, whatever the values).
    public var expiresAt: Int64 { Saturating.add(originallyPublished, expireSeconds) }

    /// The key as text (keys are ASCII hex in practice).
    public var keyText: String { String(decoding: key, as: UTF8.self) }

    /// The key parsed as an id, when it is hex.
    public var keyID: NodeID? { NodeID(keyHexUTF8: key) }
}

/// A change to durable storage that the engine asks the runtime to make.
public enum StorageChange: Hashable, Sendable {
    /// Insert or replace the record for (layer, key).
    case put(StoredRecord)
    /// Remove the record for (layer, key).
    case delete(layer: Int, key: [UInt8])
    /// Remember a value this node published, so that it is republished after a restart too.
    case putPublished(StoredRecord)
    /// Forget a published value (it expired).
    case deletePublished(layer: Int, key: [UInt8])
}
