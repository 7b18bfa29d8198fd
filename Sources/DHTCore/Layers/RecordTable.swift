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

    private var entries: [[UInt8]: Entry] = [:]
    /// Bytes charged for every record held.
    private(set) var heldBytes = 0
    /// Bytes charged per original publisher (nil: stored without one). An entry exists only while
    /// the publisher has a record here, so the map never has more entries than the table.
    private(set) var bytesByPublisher: [NodeID?: Int] = [:]
    /// Bytes charged per source host, same bound as `bytesByPublisher`.
    private(set) var bytesByHost: [String: Int] = [:]

    init() {}

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var keys: Dictionary<[UInt8], Entry>.Keys { entries.keys }
    var values: LazyMapSequence<Dictionary<[UInt8], Entry>.Values, StoredRecord> { entries.values.lazy.map(\.record) }

    /// The entry held for `key`, with its charge and source host.
    func entry(_ key: [UInt8]) -> Entry? { entries[key] }

    /// Reads a record; setting one inserts or replaces it with no source host, nil removes it.
    subscript(key: [UInt8]) -> StoredRecord? {
        get { entries[key]?.record }
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
        entries[record.key] = Entry(record: record, charge: charge, host: host)
        heldBytes += charge
        bytesByPublisher[record.publisher, default: 0] += charge
        if let host { bytesByHost[host, default: 0] += charge }
    }

    /// Removes the record of `key` and releases its charge; returns it.
    @discardableResult
    mutating func removeValue(forKey key: [UInt8]) -> StoredRecord? {
        guard let old = entries.removeValue(forKey: key) else { return nil }
        heldBytes -= old.charge
        Self.release(old.charge, from: &bytesByPublisher, key: old.record.publisher)
        if let host = old.host { Self.release(old.charge, from: &bytesByHost, key: host) }
        return old.record
    }

    /// Removes every record.
    mutating func removeAll() {
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
