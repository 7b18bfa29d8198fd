import Dispatch
import DHTCore
import FoundationEssentials

/// Group-committing writer in front of a `NodeDatabase`. Thread-safe.
///
/// One private serial queue owns the database and runs one cycle at a time: it takes everything
/// submitted so far, appends it to the database's inbox (`NodeDatabase+Inbox`) in ONE transaction
/// committed without waiting for the disk (`synchronous=NORMAL`), makes it durable with one
/// fdatasync of the write-ahead log (`LogSync`), and only then calls the completions and
/// `afterCompletions`, on the same queue. Submits that arrive while a cycle runs (its commit or
/// its fdatasync) wait for the next cycle, which starts as soon as this one ends: one fdatasync
/// in flight at a time, each covering everything submitted during the one before, and no hop to
/// another thread between commit, sync and completions. A submit wakes the queue only when it is
/// idle. `submit` never blocks; `flush`, `perform` and `close` block the caller. Reads no clock.
public final class DurableWriter: @unchecked Sendable {
    /// Called once per submit, after the change is durable (or failed), on the writer's queue.
    public typealias Completion = @Sendable (Result<Void, StorageError>) -> Void

    private let queue: DispatchQueue
    private let queueKey = DispatchSpecificKey<ObjectIdentifier>()
    /// Guards everything below up to `database`.
    private let lock = PlainLock()
    /// Submitted changes and completions not yet taken by a cycle (completions may be fewer:
    /// a submit without one adds none).
    private var pending = Pending()
    /// The last cycle's emptied buffers, reused by the next swap (no allocation per cycle).
    private var spare = Pending()
    private var cycleScheduled = false
    private var closed = false
    private var stats = (commits: 0, changes: 0, syncs: 0)
    /// Set once an fdatasync failed: the kernel may have dropped the unsynced pages, so nothing
    /// is acknowledged again (every later submit fails with this error).
    private var syncFailure: StorageError?
    private var groupHook: (@Sendable () -> Void)?
    private var syncHook: (@Sendable () -> Void)?
    /// Only touched on `queue`.
    private var database: NodeDatabase?
    private let logSync: LogSync
    /// The database path, for messages.
    public let path: String

    private struct Pending {
        var changes: [[StorageChange]] = []
        var completions: [Completion] = []
        var isEmpty: Bool { changes.isEmpty }
        mutating func clear() {
            changes.removeAll(keepingCapacity: true)
            completions.removeAll(keepingCapacity: true)
        }
    }

    /// Takes ownership of `database`; from now on use it only through this writer.
    public init(database: NodeDatabase, label: String = "dhtop.storage.writer") throws(StorageError) {
        self.path = database.path
        self.logSync = try database.deferCommitSync()
        self.database = database
        self.queue = DispatchQueue(label: label, qos: .utility)
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

    /// Enqueues `changes` for the next cycle. Never blocks. `completion` runs exactly once:
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
        pending.changes.append(changes)
        if let completion { pending.completions.append(completion) }
        let schedule = !cycleScheduled
        cycleScheduled = true
        lock.unlock()
        // While a cycle runs this only marks the (busy) queue; it wakes a thread when idle.
        if schedule { queue.async { self.cycle() } }
    }

    /// Commits everything submitted so far as one transaction, makes it durable with one
    /// fdatasync, then calls its completions and the group hook. Runs on the writer queue only.
    private func cycle() {
        lock.lock()
        swap(&pending, &spare)
        cycleScheduled = false
        let failed = syncFailure
        lock.unlock()
        // `spare` now holds this cycle's batch; it is only touched here, on the writer queue,
        // and emptied (keeping its capacity) before the next swap.
        defer { spare.clear() }
        guard !spare.isEmpty else { return }
        var error = failed
        if error == nil {
            if let database {
                do throws(StorageError) {
                    try database.append(batches: spare.changes)
                } catch let e {
                    error = e
                }
            } else {
                error = closedError
            }
        }
        if error == nil {
            lock.lock()
            stats.commits += 1
            stats.changes += spare.changes.count
            let hook = syncHook
            lock.unlock()
            hook?()
            error = sync()
        }
        let result: Result<Void, StorageError> = error.map { .failure($0) } ?? .success(())
        for completion in spare.completions { completion(result) }
        lock.lock()
        let hook = groupHook
        lock.unlock()
        hook?()
        // A full inbox moves into the tables (its rows are durable; if this fails, they stay in
        // the inbox and a later cycle tries again). Submits meanwhile wait for the next cycle.
        if error == nil, let database, database.inboxIsFull { _ = try? database.applyInbox() }
    }

    /// One fdatasync of the log; on failure remembers it for good. Writer queue only.
    private func sync() -> StorageError? {
        var failure: StorageError?
        do throws(StorageError) {
            try logSync.sync()
        } catch {
            failure = error
        }
        lock.lock()
        defer { lock.unlock() }
        if let failure {
            syncFailure = failure
        } else {
            stats.syncs += 1
        }
        return failure
    }

    /// Called on the writer queue after the completions of each cycle, so that a caller that
    /// collects work in its completions (answers to send) finishes it once per group.
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

    /// Tests only: runs on the writer queue after each cycle's commit, right before its fdatasync.
    var beforeSync: (@Sendable () -> Void)? {
        get {
            lock.lock()
            defer { lock.unlock() }
            return syncHook
        }
        set {
            lock.lock()
            syncHook = newValue
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
        if onWriterQueue { cycle() } else { queue.sync { cycle() } }
    }

    /// Runs `body` on the writer queue with the database, after committing everything pending,
    /// then makes whatever it wrote durable, and returns its result. Blocks the caller. Use for
    /// reads (and rare synchronous writes). Not from a completion.
    public func perform<T>(_ body: (NodeDatabase) throws(StorageError) -> T) throws(StorageError) -> T {
        func run() -> Result<T, StorageError> {
            cycle()
            guard let database else { return .failure(closedError) }
            lock.lock()
            let failed = syncFailure
            lock.unlock()
            if let failed { return .failure(failed) }
            let result = Result { () throws(StorageError) -> T in
                try database.applyInbox()
                return try body(database)
            }
            if case .success = result, let failure = sync() { return .failure(failure) }
            return result
        }
        return try (onWriterQueue ? run() : queue.sync { run() }).get()
    }

    /// Commits and syncs everything pending, closes the database and releases the directory lock.
    /// Later submits fail with `.io`. Blocks the caller; safe to call twice; not from a completion.
    public func close() {
        lock.lock()
        closed = true
        lock.unlock()
        let finish = {
            self.cycle()
            _ = try? self.database?.applyInbox()
            self.database?.close()
            self.database = nil
        }
        if onWriterQueue { finish() } else { queue.sync(execute: finish) }
        logSync.close()
    }
}
