import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads that run a simulation's partitions window by window: the calling thread runs
/// partition 0, one long-lived thread each of the others. A window starts when the caller
/// bumps `generation` and ends when every worker has counted itself into `finished`; waiting
/// spins briefly (windows are short and many) and then sleeps on a condition variable (the
/// machine may be busy). Created and stopped by one `Simulation.advance` on the calling thread;
/// reads no clock.
final class WindowCrew: @unchecked Sendable {
    private let partitions: [SimulationPartition]
    /// Bumped by the caller to start a window (release: the partitions' state and `end`).
    private let generation = Atomic<Int>(0)
    /// Workers done with the current window (release: their partitions' state).
    private let finished = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// The current window's end; written before `generation` is bumped.
    private let end = Atomic<Int64>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var threads: [pthread_t] = []
    /// Load checks before sleeping.
    private static let spins = 20_000

    init(partitions: [SimulationPartition]) {
        self.partitions = partitions
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for i in 1..<partitions.count {
            let context = Unmanaged.passRetained(WorkerContext(crew: self, index: i)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(
                &thread, nil,
                { raw in
                    let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                    context.crew.work(context.index)
                    return nil
                }, context)
            precondition(rc == 0, "pthread_create: \(rc)")
            threads.append(thread)
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
        generation.add(1, ordering: .releasing)
        wake()
        partitions[0].run(until: end)
        let workers = partitions.count - 1
        wait { self.finished.load(ordering: .acquiring) == workers }
    }

    /// Ends the worker threads and joins them.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        wake()
        for t in threads { pthread_join(t, nil) }
        threads = []
    }

    private func work(_ index: Int) {
        var seen = 0
        while true {
            wait { self.generation.load(ordering: .acquiring) != seen }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .relaxed) { return }
            partitions[index].run(until: end.load(ordering: .relaxed))
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
    let index: Int
    init(crew: WindowCrew, index: Int) {
        self.crew = crew
        self.index = index
    }
}
