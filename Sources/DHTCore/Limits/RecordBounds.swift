import DHTWire

/// The bounds every record's times are held to, whatever a peer sent or an old data directory
/// holds, so that every record expires and no expiry or age computation can overflow
/// (docs/limits.md, "Records"). Stateless; thread-safe; never reads a clock (`now` is passed in).
public enum RecordBounds {
    /// The longest lifetime a record may have: BitDust's `dataExpireTimeout`, 24 h (docs/protocol.md §14).
    /// A larger `expireSeconds` from a store or a findValue answer is clamped to it; a negative
    /// one to 0 (the record is dead at once, as in Python).
    public static let maxExpireSeconds: Int64 = 86_400
    /// The oldest age a store may claim: a record this old is expired whatever its lifetime.
    /// A larger age is clamped to it, a negative one to 0.
    public static let maxAgeSeconds: Int64 = maxExpireSeconds + 1

    /// `expireSeconds` clamped to `0...maxExpireSeconds`.
    public static func expireSeconds(_ value: Int64) -> Int64 {
        Saturating.clamp(value, to: 0...maxExpireSeconds)
    }

    /// A store's `age` clamped to `0...maxAgeSeconds`.
    public static func age(_ value: Int64) -> Int64 {
        Saturating.clamp(value, to: 0...maxAgeSeconds)
    }

    /// An `originallyPublished` (from a findValue answer or storage) clamped to
    /// `now - maxAgeSeconds ... now`: never in the future, and never so old that `now - it`
    /// could overflow. A clamped time is expired exactly when the original one was.
    public static func originallyPublished(_ value: Int64, now: Int64) -> Int64 {
        Saturating.clamp(value, to: Saturating.subtract(now, maxAgeSeconds)...now)
    }

    /// The age of a record published at `originallyPublished`, never negative, never trapping.
    public static func age(at now: Int64, originallyPublished: Int64) -> Int64 {
        max(0, Saturating.subtract(now, originallyPublished))
    }
}

extension StoredRecord {
    /// This record with its times inside `RecordBounds` at `now` (records loaded from storage
    /// written by older versions may carry any value). A record that was expired stays expired.
    public func bounded(now: Int64) -> StoredRecord {
        var r = self
        r.expireSeconds = RecordBounds.expireSeconds(expireSeconds)
        r.originallyPublished = RecordBounds.originallyPublished(originallyPublished, now: now)
        r.lastPublished = Saturating.clamp(lastPublished, to: r.originallyPublished...now)
        return r
    }

    /// Whether the lifetime has passed at `now` (`now - originallyPublished > expireSeconds`),
    /// computed without overflow for any stored values.
    public func isExpired(at now: Int64) -> Bool {
        Saturating.subtract(now, originallyPublished) > expireSeconds
    }
}
