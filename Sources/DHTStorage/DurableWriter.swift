import Dispatch
import DHTCore
import FoundationEssentials

/// Group-committing, pipelined writer in front of a `NodeDatabase`. Thread-safe.
///
/// Two private serial queues. The writer queue owns the database: it drains everything submitted
/// so far into ONE transaction that appends it to the database's inbox (`NodeDatabase+Inbox`),
/// commits it without waiting for the disk (`synchronous=NORMAL`),
/// then hands the batch to the sync queue, which makes every commit handed to it so far durable
/// with one fdatasync of the write-ahead log (`LogSync`) and only then calls their completions.
/// While one fdatasync is in flight the writer commits the next batch, and the next fdatasync
/// covers every batch committed meanwhile. `submit` never blocks; `flush`, `perform` and `close`
/// block the caller. Reads no clock.
public final class DurableWriter: @unchecked Sendable {
    /// Called once per submit, after the change is durable (or failed), on the sync queue (or on
    /// the writer queue when the commit itself failed).
    public typealias Completion = @Sendable (Result<Void, StorageError>) -> Void

    private struct Pending {
        var changes: [StorageChange]
        var completion: Completion?
    }

    private let queue: DispatchQueue
    private let syncQueue: DispatchQueue
    private let queueKey = DispatchSpecificKey<ObjectIdentifier>()
    /// Guards everything below up to `database`.
    private let lock = PlainLock()
    private var pending: [Pending] = []
    private var drainScheduled = false
    private var closed = false
    private var stats = (commits: 0, changes: 0, syncs: 0)
    /// Completions of committed batches waiting for the next fdatasync, and whether one is due.
    private var unsynced: [Completion] = []
    private var syncDue = false
    private var syncScheduled = false
    /// Set once an fdatasync failed: the kernel may have dropped the unsynced pages, so nothing
    /// is acknowledged again (every later submit fails with this error).
    private var syncFailure: StorageError?
    private var groupHook: (@Sendable () -> Void)?
    /// Only touched on `queue`.
    private var database: NodeDatabase?
    private let logSync: LogSync
    /// The database path, for messages.
    public let path: String

    /// Takes ownership of `database`; from now on use it only through this writer.
    public init(database: NodeDatabase, label: String = "dhtop.storage.writer") throws(StorageError) {
        self.path = database.path
        self.logSync = try database.deferCommitSync()
        self.database = database
        self.queue = DispatchQueue(label: label, qos: .utility)
        self.syncQueue = DispatchQueue(label: label + ".sync", qos: .utility)
        queue.setSpecific(key: queueKey, value: ObjectIdentifier(self))
    }

    /// Opens `NodeDatabase(directory:)` and wraps it. Blocks on file-system I/O.
    public convenience init(directory: String) throws(StorageError) {
        try self.init(database: try NodeDatabase(directory: directory))
    }

    deinit {
        // No blocking here: close() should have run. Dropping the database closes it.
    }

    private var onWriterQueue: Bool { DispatchQueue.getSpecific(key: queueKey) == ObjectIdentifier(self) }

    private var closedError: StorageError { StorageError(.io, "database \(path) is closed") }

    /// Enqueues `changes` for the next group commit. Never blocks. `completion` runs exactly once:
    /// `.success` once the changes are durable, or the error (an error fails every submit that
    /// shared the transaction or the fdatasync). It must be quick, must not block on another
    /// queue that waits for this writer, and must not call `flush`, `perform` or `close`.
    public func submit(_ changes: [StorageChange], completion: Completion? = nil) {
        lock.lock()
        if closed {
            lock.unlock()
            completion?(.failure(closedError))
            return
        }
        pending.append(Pending(changes: changes, completion: completion))
        let schedule = !drainScheduled
        drainScheduled = true
        lock.unlock()
        if schedule { queue.async { self.drain() } }
    }

    /// Commits everything queued so far as one transaction and hands it to the sync queue (or
    /// fails its completions). Runs on the writer queue only.
    private func drain() {
        lock.lock()
        let batch = pending
        pending = []
        drainScheduled = false
        let failed = syncFailure
        lock.unlock()
        guard !batch.isEmpty else { return }
        var error = failed
        if error == nil {
            if let database {
                do throws(StorageError) {
                    try database.append(batches: batch.map(\.changes))
                } catch let e {
                    error = e
                }
            } else {
                error = closedError
            }
        }
        if let error {
            for item in batch { item.completion?(.failure(error)) }
            return
        }
        lock.lock()
        stats.commits += 1
        stats.changes += batch.count
        for item in batch { if let c = item.completion { unsynced.append(c) } }
        syncDue = true
        let schedule = !syncScheduled
        syncScheduled = true
        lock.unlock()
        if schedule { syncQueue.async { self.syncStep() } }
        // While that fdatasync runs: a full inbox moves into the tables (its rows are already
        // durable; if this fails, they stay in the inbox and the next commit tries again).
        if let database, database.inboxIsFull { _ = try? database.applyInbox() }
    }

    /// One fdatasync for every commit handed over before it starts, then their completions.
    /// Runs on the sync queue only.
    private func syncStep() {
        lock.lock()
        let waiting = unsynced
        let due = syncDue
        unsynced = []
        syncDue = false
        syncScheduled = false
        var failure = syncFailure
        lock.unlock()
        guard due else { return }
        if failure == nil {
            do throws(StorageError) {
                try logSync.sync()
            } catch {
                failure = error
            }
        }
        lock.lock()
        if let failure {
            syncFailure = failure
        } else {
            stats.syncs += 1
        }
        lock.unlock()
        let result: Result<Void, StorageError> = failure.map { .failure($0) } ?? .success(())
        for completion in waiting { completion(result) }
        lock.lock()
        let hook = groupHook
        lock.unlock()
        hook?()
    }

    /// Called on the sync queue after the completions of each fdatasync's group, so that a
    /// caller that collects work in its completions (answers to send) finishes it once per group.
    /// Same rules as a completion.
    public var afterCompletions: (@Sendable () -> Void)? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return groupHook
        }
        set {
            lock.lock()
            groupHook = newValue
            lock.unlock()
        }
    }

    /// Transactions committed and submits they carried, since the writer opened: their ratio is
    /// the group-commit batch size.
    public var commitStatistics: (commits: Int, submits: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (stats.commits, stats.changes)
    }

    /// fdatasyncs of the log since the writer opened: submits over syncs is the number of stores
    /// each fsync made durable.
    public var syncCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return stats.syncs
    }

    /// Blocks until every change submitted before this call is durable and its completion ran.
    /// Not from a completion.
    public func flush() {
        if onWriterQueue { drain() } else { queue.sync { drain() } }
        syncQueue.sync { syncStep() }
    }

    /// Runs `body` on the writer queue with the database, after committing everything pending,
    /// then makes whatever it wrote durable, and returns its result. Blocks the caller. Use for
    /// reads (and rare synchronous writes). Not from a completion.
    public func perform<T>(_ body: (NodeDatabase) throws(StorageError) -> T) throws(StorageError) -> T {
        func run() -> Result<T, StorageError> {
            drain()
            guard let database else { return .failure(closedError) }
            return Result { () throws(StorageError) -> T in
                try database.applyInbox()
                return try body(database)
            }
        }
        let result = onWriterQueue ? run() : queue.sync { run() }
        if case .success = result {
            lock.lock()
            syncDue = true
            lock.unlock()
            syncQueue.sync { syncStep() }
            lock.lock()
            let failed = syncFailure
            lock.unlock()
            if let failed { throw failed }
        }
        return try result.get()
    }

    /// Commits and syncs everything pending, closes the database and releases the directory lock.
    /// Later submits fail with `.io`. Blocks the caller; safe to call twice; not from a completion.
    public func close() {
        lock.lock()
        closed = true
        lock.unlock()
        flush()
        let finish = {
            _ = try? self.database?.applyInbox()
            self.database?.close()
            self.database = nil
        }
        if onWriterQueue { finish() } else { queue.sync(execute: finish) }
        logSync.close()
    }
}
