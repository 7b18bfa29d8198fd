import Dispatch
import DHTCore
import FoundationEssentials

/// Group-committing writer in front of a `NodeDatabase`. Thread-safe.
///
/// It owns a private serial queue and the database; every database access happens on that queue.
/// `submit` never blocks: it enqueues. The queue drains everything submitted so far into ONE
/// transaction (one fsync), commits, then calls each completion on the writer queue, so under load
/// many stores share one fsync. `flush`, `perform` and `close` block the caller.
public final class DurableWriter: @unchecked Sendable {
    /// Called once per submit, on the writer queue, after the change is durable (or failed).
    public typealias Completion = @Sendable (Result<Void, StorageError>) -> Void

    private struct Pending {
        var changes: [StorageChange]
        var completion: Completion?
    }

    private let queue: DispatchQueue
    private let queueKey = DispatchSpecificKey<ObjectIdentifier>()
    /// Guards `pending`, `drainScheduled` and `closed`.
    private let lock = PlainLock()
    private var pending: [Pending] = []
    private var drainScheduled = false
    private var closed = false
    private var stats = (commits: 0, changes: 0)
    /// Only touched on `queue`.
    private var database: NodeDatabase?
    /// The database path, for messages.
    public let path: String

    /// Takes ownership of `database`; from now on use it only through this writer.
    public init(database: NodeDatabase, label: String = "dhtop.storage.writer") {
        self.path = database.path
        self.database = database
        self.queue = DispatchQueue(label: label, qos: .utility)
        queue.setSpecific(key: queueKey, value: ObjectIdentifier(self))
    }

    /// Opens `NodeDatabase(directory:)` and wraps it. Blocks on file-system I/O.
    public convenience init(directory: String) throws(StorageError) {
        self.init(database: try NodeDatabase(directory: directory))
    }

    deinit {
        // No blocking here: close() should have run. Dropping the database closes it.
    }

    private var onWriterQueue: Bool { DispatchQueue.getSpecific(key: queueKey) == ObjectIdentifier(self) }

    private var closedError: StorageError { StorageError(.io, "database \(path) is closed") }

    /// Enqueues `changes` for the next group commit. Never blocks. `completion` runs exactly once,
    /// on the writer queue: `.success` once the changes are durable, or the error (an error fails
    /// every submit that shared the transaction; none of them is applied). It must be quick
    /// and must not block on another queue that waits for this writer.
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

    /// Commits everything queued so far as one transaction, then calls the completions.
    /// Runs on the writer queue only.
    private func drain() {
        lock.lock()
        let batch = pending
        pending = []
        drainScheduled = false
        if !batch.isEmpty {
            stats.commits += 1
            stats.changes += batch.count
        }
        lock.unlock()
        guard !batch.isEmpty else { return }
        let result: Result<Void, StorageError>
        if let database {
            do throws(StorageError) {
                try database.apply(batches: batch.map(\.changes))
                result = .success(())
            } catch {
                result = .failure(error)
            }
        } else {
            result = .failure(closedError)
        }
        for item in batch { item.completion?(result) }
    }

    /// Transactions committed and submits they carried, since the writer opened: their ratio is
    /// the group-commit batch size.
    public var commitStatistics: (commits: Int, submits: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (stats.commits, stats.changes)
    }

    /// Blocks until every change submitted before this call is committed and its completion ran.
    /// May be called from a completion (it then drains inline).
    public func flush() {
        if onWriterQueue { drain() } else { queue.sync { drain() } }
    }

    /// Runs `body` on the writer queue with the database, after committing everything pending, and
    /// returns its result. Blocks the caller. Use for reads (and rare synchronous writes).
    public func perform<T>(_ body: (NodeDatabase) throws(StorageError) -> T) throws(StorageError) -> T {
        func run() -> Result<T, StorageError> {
            drain()
            guard let database else { return .failure(closedError) }
            return Result { () throws(StorageError) -> T in try body(database) }
        }
        let result = onWriterQueue ? run() : queue.sync { run() }
        return try result.get()
    }

    /// Commits everything pending, closes the database and releases the directory lock. Later
    /// submits fail with `.io`. Blocks the caller; safe to call twice, also from a completion.
    public func close() {
        lock.lock()
        closed = true
        lock.unlock()
        let finish = {
            self.drain()
            self.database?.close()
            self.database = nil
        }
        if onWriterQueue { finish() } else { queue.sync(execute: finish) }
    }
}
