import DHTWire

/// The records of one layer by wire key, with running byte totals for the storage quota
/// (`StorageQuota`): every insert, replacement and removal adjusts the totals in O(1) (plus the
/// size of the value inserted); nothing is ever rescanned.
///
/// Reads like the dictionary it replaces (`subscript`, `removeValue`, `values`, `count`), so
/// callers that only add and remove records need not know about the accounting.
/// A value type; owned by `LayerContext`, used on the engine's queue.
struct RecordTable {
    /// One record with what it is charged and who is charged for it.
    struct Entry {
        var record: StoredRecord
        /// `StorageQuota.charge(keyBytes:valueBytes:)` of the record.
        var charge: Int
        /// The host of the address that stored it; nil for our own records and records loaded
        /// from disk (the database does not keep the source address).
        var host: String?
    }

    /// A wire key as the table's dictionary key: hashed as one run of bytes (`Array`'s own
    /// hashing feeds the hasher one byte at a time, a cost on every `findValue`).
    struct Key: Hashable {
        var bytes: [UInt8]
        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }

    private var entries: [Key: Entry] = [:]
    /// Bytes charged for every record held.
    private(set) var heldBytes = 0
    /// No record held is expired before this unix time (`StoredRecord.isExpired`): the
    /// smallest `firstExpiredSecond` inserted since the last `refreshExpiryHint`. A lower
    /// bound: removals leave it, so the expiry sweep can skip a layer without reading it.
    private(set) var expiryHint: Int64 = .max
    /// Bytes charged per original publisher (nil: stored without one). An entry exists only while
    /// the publisher has a record here, so the map never has more entries than the table.
    private(set) var bytesByPublisher: [NodeID?: Int] = [:]
    /// Bytes charged per source host, same bound as `bytesByPublisher`.
    private(set) var bytesByHost: [String: Int] = [:]

    init() {}

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var values: LazyMapSequence<Dictionary<Key, Entry>.Values, StoredRecord> { entries.values.lazy.map(\.record) }

    /// The entry held for `key`, with its charge and source host.
    func entry(_ key: [UInt8]) -> Entry? { entries[Key(bytes: key)] }

    /// Reads a record; setting one inserts or replaces it with no source host, nil removes it.
    subscript(key: [UInt8]) -> StoredRecord? {
        get { entries[Key(bytes: key)]?.record }
        set {
            if let newValue {
                insert(newValue, valueBytes: StorageQuota.encodedSize(newValue.value), host: nil)
            } else {
                removeValue(forKey: key)
            }
        }
    }

    /// Inserts or replaces `record` (whose bencoded value is `valueBytes` long), charged to its
    /// publisher and to `host`.
    mutating func insert(_ record: StoredRecord, valueBytes: Int, host: String?) {
        removeValue(forKey: record.key)
        let charge = StorageQuota.charge(keyBytes: record.key.count, valueBytes: valueBytes)
        entries[Key(bytes: record.key)] = Entry(record: record, charge: charge, host: host)
        expiryHint = min(expiryHint, Self.firstExpiredSecond(record))
        heldBytes += charge
        bytesByPublisher[record.publisher, default: 0] += charge
        if let host { bytesByHost[host, default: 0] += charge }
    }

    /// Removes the record of `key` and releases its charge; returns it.
    @discardableResult
    mutating func removeValue(forKey key: [UInt8]) -> StoredRecord? {
        guard let old = entries.removeValue(forKey: Key(bytes: key)) else { return nil }
        heldBytes -= old.charge
        Self.release(old.charge, from: &bytesByPublisher, key: old.record.publisher)
        if let host = old.host { Self.release(old.charge, from: &bytesByHost, key: host) }
        return old.record
    }

    /// The first unix second at which the sweep may remove `record`: `isExpired(at: t)` is false
    /// for every earlier `t`, whatever the (peer-given) times. A sum past either end of Int64
    /// sticks there: at `Int64.min` the sweep always looks; at `Int64.max` the record cannot
    /// expire at any time there is. `Int64.max` for nodeState, which the sweep keeps.
    static func firstExpiredSecond(_ record: StoredRecord) -> Int64 {
        if record.key == nodeStateKey { return .max }
        let end = record.expiresAt
        return end == .min ? .min : Saturating.add(end, 1)
    }

    private static let nodeStateKey = DHTKey.nodeState.hexUTF8

    /// Recomputes `expiryHint` from the records held (after a sweep has read them all anyway).
    mutating func refreshExpiryHint() {
        expiryHint = entries.values.reduce(Int64.max) { min($0, Self.firstExpiredSecond($1.record)) }
    }

    /// Removes every record.
    mutating func removeAll() {
        expiryHint = .max
        entries.removeAll()
        heldBytes = 0
        bytesByPublisher.removeAll()
        bytesByHost.removeAll()
    }

    private static func release<K: Hashable>(_ charge: Int, from map: inout [K: Int], key: K) {
        guard let held = map[key] else { return }
        if held <= charge { map.removeValue(forKey: key) } else { map[key] = held - charge }
    }
}
