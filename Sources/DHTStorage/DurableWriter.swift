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
/// its fdatasync) wait for a later cycle: one fdatasync in flight at a time, no hop to another
/// thread between commit, sync and completions. After a cycle the queue holds (`Hold`) until as
/// many changes wait as it just answered plus those already waiting, or for at most that cycle's
/// duration (250 µs at most), then starts the next; a submit wakes the queue only when it is idle
/// or completes the hold. `submit` never blocks; `flush`, `perform` and `close` block the caller
/// (for at most a hold before their own cycle). Reads the monotonic clock (the hold's limit).
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
    /// A cycle is queued, running or holding: submits leave the start of the next one to it.
    private var cycleScheduled = false
    private var hold: Hold?
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

    /// The wait after a cycle whose group was answered, before the next one starts: until
    /// `target` changes wait (those that waited at its end plus as many as it carried, since the
    /// submitters just answered, such as a client keeping requests outstanding, tend to send
    /// again), for at most that cycle's duration (at most `maxNanos`). Two groups that would
    /// alternate between the disk and the client merge into one, so an fdatasync covers twice
    /// the stores; a stream of unrelated stores waits that long at most once per cycle.
    private struct Hold {
        static let maxNanos: UInt64 = 250_000
        var target: Int
        /// Signalled by the submit that reaches `target`.
        var semaphore: DispatchSemaphore
    }

    private struct Pending {
        var changes: [[StorageChange]] = []
        var completions: [Completion] = []
        /// The changes in `changes`, all submits together.
        var rows = 0
        var isEmpty: Bool { changes.isEmpty }
        mutating func clear() {
            changes.removeAll(keepingCapacity: true)
            completions.removeAll(keepingCapacity: true)
            rows = 0
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
        pending.rows += changes.count
        if let completion { pending.completions.append(completion) }
        let schedule = !cycleScheduled
        cycleScheduled = true
        var release: DispatchSemaphore?
        if let held = hold, pending.rows >= held.target {
            release = held.semaphore
            hold = nil
        }
        lock.unlock()
        release?.signal()
        // While a cycle runs (or holds) nothing is scheduled here: its end takes what arrived.
        if schedule { queue.async { self.run() } }
    }

    /// One cycle, then the hold before the next (`Hold`), then the next cycle queued behind
    /// whatever else waits for the queue (`flush`, `perform`). Writer queue only.
    private func run() {
        let (carried, took) = cycle()
        lock.lock()
        var held: Hold?
        if carried > 0, syncFailure == nil, !closed {
            held = Hold(target: pending.rows + carried, semaphore: DispatchSemaphore(value: 0))
            hold = held
        }
        lock.unlock()
        if let held {
            _ = held.semaphore.wait(timeout: .now() + .nanoseconds(Int(min(took, Hold.maxNanos))))
            lock.lock()
            hold = nil
            lock.unlock()
        }
        lock.lock()
        let more = !pending.isEmpty
        if !more { cycleScheduled = false }
        lock.unlock()
        if more { queue.async { self.run() } }
    }

    /// Commits everything submitted so far as one transaction, makes it durable with one
    /// fdatasync, then calls its completions and the group hook. Returns the changes it carried
    /// and the nanoseconds it took. Runs on the writer queue only.
    @discardableResult
    private func cycle() -> (carried: Int, nanoseconds: UInt64) {
        lock.lock()
        swap(&pending, &spare)
        let failed = syncFailure
        lock.unlock()
        // `spare` now holds this cycle's batch; it is only touched here, on the writer queue,
        // and emptied (keeping its capacity) before the next swap.
        defer { spare.clear() }
        guard !spare.isEmpty else { return (0, 0) }
        let started = DispatchTime.now().uptimeNanoseconds
        let error = failed ?? commitAndSync()
        let result: Result<Void, StorageError> = error.map { .failure($0) } ?? .success(())
        for completion in spare.completions { completion(result) }
        lock.lock()
        let hook = groupHook
        lock.unlock()
        hook?()
        let took = DispatchTime.now().uptimeNanoseconds &- started
        // A full inbox moves into the tables (its rows are durable; if this fails, they stay in
        // the inbox and a later cycle tries again). Submits meanwhile wait for the next cycle.
        if error == nil, let database, database.inboxIsFull { _ = try? database.applyInbox() }
        return (error == nil ? spare.rows : 0, took)
    }

    /// Appends this cycle's batch to the inbox in one transaction, then one fdatasync; the first
    /// error. Writer queue only.
    private func commitAndSync() -> StorageError? {
        guard let database else { return closedError }
        do throws(StorageError) {
            try database.append(batches: spare.changes)
        } catch {
            return error
        }
        lock.lock()
        stats.commits += 1
        stats.changes += spare.rows
        let hook = syncHook
        lock.unlock()
        hook?()
        return sync()
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
        get { lock.withLock { groupHook } }
        set { lock.withLock { groupHook = newValue } }
    }

    /// Tests only: runs on the writer queue after each cycle's commit, right before its fdatasync.
    var beforeSync: (@Sendable () -> Void)? {
        get { lock.withLock { syncHook } }
        set { lock.withLock { syncHook = newValue } }
    }

    /// Transactions committed and the changes they carried (a submit may carry several), since
    /// the writer opened: their ratio is the group-commit batch size.
    public var commitStatistics: (commits: Int, submits: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (stats.commits, stats.changes)
    }

    /// fdatasyncs of the log since the writer opened: changes (`commitStatistics`) over syncs is the number of stores
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
