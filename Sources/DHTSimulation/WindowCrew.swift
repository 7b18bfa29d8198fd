import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads that run a simulation's partitions window by window: the calling thread and
/// `threads - 1` long-lived workers take partitions one at a time from a shared counter until
/// none is left, so a thread whose partitions were light takes more (there are several
/// partitions per thread: a window holds few events, and a fixed split would leave one thread
/// waiting for the other in most windows). Partitions are independent within a window, so who
/// runs which changes nothing in the results. A window starts when the caller bumps
/// `generation` and ends when every worker has counted itself into `finished`; waiting spins
/// briefly (windows are short and many) and then sleeps on a condition variable (the machine
/// may be busy). Created and stopped by one `Simulation.advance` on the calling thread; reads
/// no clock.
final class WindowCrew: @unchecked Sendable {
    private let partitions: [SimulationPartition]
    /// Bumped by the caller to start a window (release: the partitions' state and `end`).
    private let generation = Atomic<Int>(0)
    /// Workers done with the current window (release: their partitions' state).
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// The next partition to take in the current window.
    private let nextPartition = Atomic<Int>(0)
    private let workers: Int
    /// The current window's end; written before `generation` is bumped.
    private let end = Atomic<Int64>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var threads: [pthread_t] = []
    /// Load checks before sleeping.
    private static let spins = 20_000

    init(partitions: [SimulationPartition], threads: Int) {
        self.partitions = partitions
        self.workers = max(0, min(threads, partitions.count) - 1)
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for _ in 0..<workers {
            let context = Unmanaged.passRetained(WorkerContext(crew: self)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(
                &thread, nil,
                { raw in
                    let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                    context.crew.work()
                    return nil
                }, context)
            precondition(rc == 0, "pthread_create: \(rc)")
            self.threads.append(thread)
        }
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs one window on every partition; returns when all are done.
    func run(until end: Int64) {
        self.end.store(end, ordering: .relaxed)
        finished.store(0, ordering: .relaxed)
        nextPartition.store(0, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        wake()
        takePartitions(until: end)
        wait { self.finished.load(ordering: .acquiring) == self.workers }
    }

    /// Runs partitions of the current window until every one has been taken.
    private func takePartitions(until end: Int64) {
        while true {
            let i = nextPartition.wrappingAdd(1, ordering: .relaxed).oldValue
            guard i < partitions.count else { return }
            partitions[i].run(until: end)
        }
    }

    /// Ends the worker threads and joins them.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        wake()
        for t in threads { pthread_join(t, nil) }
        threads = []
    }

    private func work() {
        var seen = 0
        while true {
            wait { self.generation.load(ordering: .acquiring) != seen }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .relaxed) { return }
            takePartitions(until: end.load(ordering: .relaxed))
            finished.add(1, ordering: .releasing)
            wake()
        }
    }

    private func wake() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Spins on `ready`, then sleeps until a `wake` makes it true.
    private func wait(_ ready: () -> Bool) {
        for _ in 0..<Self.spins where ready() { return }
        pthread_mutex_lock(mutex)
        while !ready() { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }
}

/// What a worker thread starts with.
private final class WorkerContext {
    let crew: WindowCrew
    init(crew: WindowCrew) { self.crew = crew }
}
