import DHTWire

/// A store refused by the host's `StoreRule`: the error `type` and exact `message` sent back to
/// the storing peer (and reported in `storeRefused`). A value type; thread-safe.
public struct StoreRefusal: Error, Hashable, Sendable {
    /// The exception type the reply carries, as Python names it (`builtins.ValueError`).
    public var type: String
    /// The text sent back, exactly.
    public var message: String

    public init(type: String = "builtins.ValueError", message: String) {
        self.type = type
        self.message = message
    }
}

/// A store check the host injects into `DHTEngine.storeRule`: the new value and the one held for
/// the key; nil accepts the store. The engine knows no record format: BitDust's rule
/// (`BitDustStoreRule` in BitDustRecords) is what every dhtop node runs.
public typealias StoreRule = @Sendable (_ new: BValue, _ existing: BValue?) -> StoreRefusal?

/// Rules that need no record format. Stateless; thread-safe.
public enum StoreRules {
    /// Accepts every store: the engine's rule until the host injects one. The engine's own
    /// checks (size, record count, storage quota, nodeState) apply whatever the rule.
    public static let acceptAll: StoreRule = { _, _ in nil }
}
