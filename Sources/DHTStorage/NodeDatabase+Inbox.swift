import DHTCore

/// The inbox: the durable log of group commits in front of the `records` and `published` tables.
/// A group commit appends its changes to `inbox`, whose rows (numbered by `seq`) always land at
/// the end of its B-tree, so a commit writes a page or two instead of a page per random key;
/// `applyInbox` moves them, in order, into the tables in one large transaction (where a page takes
/// many changes at once) and empties it. Opening a database applies whatever a crash left in the
/// inbox, so readers only ever look at the tables. Same contract as `NodeDatabase`: one serial
/// queue; every call blocks on disk I/O. Reads no clock.
extension NodeDatabase {
    /// Inbox rows, and bytes of keys and values, after which `DurableWriter` applies the inbox
    /// (its budget, docs/limits.md): whichever is reached first.
    public static let inboxLimit = 16_384
    public static let inboxByteLimit = 16 << 20

    /// What an inbox row does.
    enum InboxOp: Int64 {
        case put = 0
        case putPublished = 1
        case delete = 2
        case deletePublished = 3
    }

    static let inboxSchema = """
        CREATE TABLE IF NOT EXISTS inbox(
            seq INTEGER PRIMARY KEY, op INTEGER NOT NULL, layer INTEGER NOT NULL, key BLOB NOT NULL,
            kind INTEGER NULL, value BLOB NULL, last_published INTEGER NULL,
            originally_published INTEGER NULL, publisher BLOB NULL, expire_seconds INTEGER NULL);
        """

    private static let inboxInsert = """
        INSERT INTO inbox(op, layer, key, kind, value, last_published, originally_published, publisher, expire_seconds)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        """
    private static let inboxRead = """
        SELECT seq, op, layer, key, kind, value, last_published, originally_published, publisher, expire_seconds
        FROM inbox ORDER BY seq
        """
    private static let inboxRemove = "DELETE FROM inbox WHERE seq = ?1"

    /// Appends every change of `batches`, in order, to the inbox in one transaction (all or
    /// nothing). Used by `DurableWriter` for a group commit.
    func append(batches: [[StorageChange]]) throws(StorageError) {
        var appended = 0
        var bytes = 0
        try connection.transaction { () throws(StorageError) in
            let s = try connection.prepare(Self.inboxInsert)
            defer { s.reset() }
            for batch in batches {
                for change in batch {
                    s.reset()
                    switch change {
                    case .put(let r): bytes += try bind(s, .put, record: r)
                    case .putPublished(let r): bytes += try bind(s, .putPublished, record: r)
                    case .delete(let layer, let key): bytes += try bind(s, .delete, layer: layer, key: key)
                    case .deletePublished(let layer, let key): bytes += try bind(s, .deletePublished, layer: layer, key: key)
                    }
                    try s.run()
                    appended += 1
                }
            }
        }
        inboxRows += appended
        inboxBytes += bytes
    }

    /// Whether the inbox reached its budget in rows or bytes.
    var inboxIsFull: Bool { inboxRows >= Self.inboxLimit || inboxBytes >= Self.inboxByteLimit }

    /// Binds one row; returns the bytes of key (and value) it adds.
    @discardableResult
    private func bind(_ s: SQLiteStatement, _ op: InboxOp, layer: Int, key: [UInt8]) throws(StorageError) -> Int {
        try s.bind(1, op.rawValue)
        try s.bind(2, Int64(layer))
        try s.bind(3, blob: key)
        return key.count
    }

    private func bind(_ s: SQLiteStatement, _ op: InboxOp, record r: StoredRecord) throws(StorageError) -> Int {
        try bind(s, op, layer: r.layer, key: r.key)
        let (kind, blob) = Self.encodeValue(r.value)
        try s.bind(4, kind.rawValue)
        try s.bind(5, blob: blob)
        try s.bind(6, r.lastPublished)
        try s.bind(7, r.originallyPublished)
        if let p = r.publisher { try s.bind(8, blob: p.bytes) }
        try s.bind(9, r.expireSeconds)
        return r.key.count + blob.count
    }

    /// Moves every inbox row, in `seq` order, into `records` or `published` and empties the inbox,
    /// in one transaction; each row leaves the inbox as it is applied, so the move needs little
    /// more room than the tables' growth. Rows of an unknown kind are dropped. Returns the rows
    /// moved.
    @discardableResult
    func applyInbox() throws(StorageError) -> Int {
        var moved = 0
        try connection.transaction { () throws(StorageError) in
            let rows = try connection.prepare(Self.inboxRead)
            defer { rows.reset() }
            let remove = try connection.prepare(Self.inboxRemove)
            defer { remove.reset() }
            // Indexed by `InboxOp`'s raw value.
            var targets: [SQLiteStatement] = []
            for sql in [Self.putRecord, Self.putPublished, Self.deleteRecord, Self.deletePublished] {
                targets.append(try connection.prepare(sql))
            }
            defer { for t in targets { t.reset() } }
            while try rows.step() {
                let target = InboxOp(rawValue: rows.int64(1)).map { targets[Int($0.rawValue)] }
                if let target {
                    // Columns layer… expire_seconds (2…9) are the statements' parameters 1…8 (a
                    // delete takes the first two); bound as copies before the row is removed.
                    for parameter in 1...target.parameterCount { try target.bind(parameter, column: parameter + 1, of: rows) }
                }
                try remove.bind(1, rows.int64(0))
                try remove.run()
                remove.reset()
                try target?.run()
                target?.reset()
                moved += 1
            }
        }
        inboxRows = 0
        inboxBytes = 0
        return moved
    }
}
