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

    private static let inboxInsert = "INSERT INTO inbox(op, \(recordColumns)) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"

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

    /// The inbox as runs of consecutive rows of one kind: `op`, the first and the last `seq`.
    private static let inboxRuns = "SELECT seq, op FROM inbox ORDER BY seq"

    /// The statement that applies a run of rows of one kind (`seq` from `?1` to `?2`), indexed by
    /// `InboxOp`'s raw value. Puts go in key order, and in `seq` order within a key, so that a
    /// later put of a key replaces an earlier one of the same run.
    private static let applyRun: [String] = {
        let put = { (table: String) in
            "INSERT OR REPLACE INTO \(table)(\(recordColumns)) SELECT \(recordColumns) FROM inbox WHERE seq BETWEEN ?1 AND ?2 ORDER BY layer, key, seq"
        }
        let delete = { (table: String) in
            "DELETE FROM \(table) WHERE (layer, key) IN (SELECT layer, key FROM inbox WHERE seq BETWEEN ?1 AND ?2)"
        }
        return [put("records"), put("published"), delete("records"), delete("published")]
    }()

    /// Moves every inbox row into `records` or `published` as if applied one by one in `seq`
    /// order, and empties the inbox, in one transaction. Each run of consecutive rows of one
    /// kind is one statement inside SQLite (`applyRun`) instead of a row at a time through bound
    /// copies: the B-tree takes a run's puts in key order. That needs room for the tables'
    /// growth while the inbox still holds its rows; when the database is full, the move runs
    /// again row by row, each row leaving the inbox as it is applied, so that pages freed in
    /// the inbox take the tables' growth. Rows of an unknown kind are dropped. Returns the rows
    /// moved.
    @discardableResult
    func applyInbox() throws(StorageError) -> Int {
        do {
            return try applyInboxByRuns()
        } catch let error where error.isDiskFull {
            return try applyInboxRowByRow()
        }
    }

    private func applyInboxByRuns() throws(StorageError) -> Int {
        var moved = 0
        try connection.transaction { () throws(StorageError) in
            var runs: [(op: Int64, first: Int64, last: Int64)] = []
            try connection.withStatement(Self.inboxRuns) { (rows) throws(StorageError) in
                while try rows.step() {
                    let seq = rows.int64(0), op = rows.int64(1)
                    moved += 1
                    if let last = runs.last, last.op == op {
                        runs[runs.count - 1].last = seq
                    } else {
                        runs.append((op, seq, seq))
                    }
                }
            }
            for run in runs {
                guard let op = InboxOp(rawValue: run.op) else { continue }
                let s = try connection.prepare(Self.applyRun[Int(op.rawValue)])
                defer { s.reset() }
                try s.bind(1, run.first)
                try s.bind(2, run.last)
                try s.run()
            }
            if !runs.isEmpty { try connection.exec("DELETE FROM inbox") }
        }
        inboxRows = 0
        inboxBytes = 0
        return moved
    }

    private static let inboxRead = "SELECT seq, op, \(recordColumns) FROM inbox ORDER BY seq"
    private static let inboxRemove = "DELETE FROM inbox WHERE seq = ?1"

    /// `applyInbox` a row at a time, in `seq` order, each row removed from the inbox before its
    /// change is written: slower, but the tables grow into the pages the inbox frees.
    private func applyInboxRowByRow() throws(StorageError) -> Int {
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
