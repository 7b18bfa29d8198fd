import DHTWire

/// The storage quota rules (docs/limits.md, "Storage"): what a record is charged, and whether a
/// store fits in the layer quota, the node-wide quota, its publisher's share and its source
/// host's share. Pure functions over running totals (O(1) per store); thread-safe.
enum StorageQuota {
    /// Bytes charged per record on top of its key and value: roughly what the engine's
    /// dictionary entry and `StoredRecord` cost in RAM, so that many tiny records are counted too.
    static let recordOverheadBytes = 128

    /// What a record with a `keyBytes`-long key and a `valueBytes`-long bencoded value is charged.
    static func charge(keyBytes: Int, valueBytes: Int) -> Int {
        keyBytes + valueBytes + recordOverheadBytes
    }

    /// The length of `Bencode.encode(value)`, computed without encoding.
    static func encodedSize(_ value: BValue) -> Int {
        switch value {
        case .int(let i): return 2 + decimalDigits(i)
        case .bytes(let b): return decimalDigits(Int64(b.count)) + 1 + b.count
        case .list(let items): return items.reduce(2) { $0 + encodedSize($1) }
        case .dict(let entries):
            return entries.reduce(2) { sum, e in
                let key: Int
                switch e.key {
                case .int(let i): key = 2 + decimalDigits(i)
                case .bytes(let b): key = decimalDigits(Int64(b.count)) + 1 + b.count
                }
                return sum + key + encodedSize(e.value)
            }
        }
    }

    private static func decimalDigits(_ i: Int64) -> Int {
        var n = i.magnitude
        var digits = i < 0 ? 2 : 1
        while n >= 10 {
            n /= 10
            digits += 1
        }
        return digits
    }

    /// The most bytes one publisher (or one host) may hold on a layer.
    static func share(_ configuration: EngineConfiguration, divisor: Int) -> Int {
        configuration.storageQuotaBytes / max(1, divisor)
    }

    /// Why `record` (charged `charge`) may not enter `table`, or nil when it fits. `nodeHeld` is
    /// what every layer holds together. Records from a peer (`host` non-nil) must also fit in
    /// their publisher's and their host's share; our own stores (`host` nil) only in the quotas.
    /// The record it replaces, if any, is released first.
    static func refusal(
        for record: StoredRecord, charge: Int, host: String?, in table: RecordTable,
        nodeHeld: Int, configuration c: EngineConfiguration
    ) -> String? {
        let old = table.entry(record.key)
        let freed = old?.charge ?? 0
        let layerAfter = table.heldBytes - freed + charge
        if layerAfter > c.storageQuotaBytes {
            return "storage quota exceeded: this node keeps at most \(c.storageQuotaBytes) bytes of values per layer "
                + "(held \(table.heldBytes), this value needs \(charge))"
        }
        let nodeAfter = nodeHeld - freed + charge
        if nodeAfter > c.storageTotalQuotaBytes {
            return "storage quota exceeded: this node keeps at most \(c.storageTotalQuotaBytes) bytes of values "
                + "(held \(nodeHeld), this value needs \(charge))"
        }
        guard let host else { return nil }
        let publisherShare = share(c, divisor: c.publisherShareDivisor)
        let publisherHeld = table.bytesByPublisher[record.publisher] ?? 0
        let publisherFreed = old.map { $0.record.publisher == record.publisher ? $0.charge : 0 } ?? 0
        if publisherHeld - publisherFreed + charge > publisherShare {
            let who = record.publisher.map { "publisher \($0.hex)" } ?? "records without a publisher"
            return "storage quota exceeded: \(who) may keep at most \(publisherShare) bytes on this node "
                + "(held \(publisherHeld), this value needs \(charge))"
        }
        let hostShare = share(c, divisor: c.hostShareDivisor)
        let hostHeld = table.bytesByHost[host] ?? 0
        let hostFreed = old.map { $0.host == host ? $0.charge : 0 } ?? 0
        if hostHeld - hostFreed + charge > hostShare {
            return "storage quota exceeded: address \(host) may store at most \(hostShare) bytes on this node "
                + "(held \(hostHeld), this value needs \(charge))"
        }
        return nil
    }
}
