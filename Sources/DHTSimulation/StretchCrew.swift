import DHTCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The threads that run a simulation's partitions through a stretch of simulated time between
/// two agenda actions without meeting at every window (a conservative asynchronous scheme):
/// thread t owns the partitions p with p mod threads == t and keeps a clock, the time below which
/// it has run all of their events. It may run events up to the other threads' slowest clock plus
/// `lookahead` (`LatencyModel.minimumOneWay`): anything another thread sends later arrives after
/// that. It runs its own windows of at most `lookahead` (so that its partitions' datagrams to
/// each other arrive in a later window of its own), hands datagrams for the other threads'
/// partitions to their mailboxes, then publishes its clock. A thread reads the others' clocks
/// before emptying its mailboxes, and a thread fills them before publishing, so every datagram
/// due before the bound it computed is in its heaps when it runs that far.
///
/// Each partition runs its events in the same (time, sender, sequence) order as in windows, so
/// the results are the same as `WindowCrew`'s and as one thread's. Created and stopped by one
/// `Simulation.advanceInStretches` on the calling thread, which is thread 0; reads no clock.
final class StretchCrew: @unchecked Sendable {
    private let partitions: [SimulationPartition]
    private let threads: Int
    private let lookahead: Int64
    /// Per thread: every event of its partitions before this time has run.
    private let clocks: [Clock]
    /// Per partition: datagrams from other threads' partitions, not yet in its heap.
    private let mailboxes: [Mailbox]
    /// Bumped by the caller to start a stretch (release: the partitions' state and `bound`).
    private let generation = Atomic<Int>(0)
    private let bound = Atomic<Int64>(0)
    private let stopping = Atomic<Bool>(false)
    /// Threads asleep on `condition`; a clock or generation change wakes them only if any.
    private let sleepers = Atomic<Int>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var workers: [pthread_t] = []
    /// Checks before sleeping.
    private static let spins = 20_000

    /// One thread's clock, in an object of its own (an atomic cannot sit in an array).
    final class Clock: Sendable {
        let time = Atomic<Int64>(0)
        func load() -> Int64 { time.load(ordering: .sequentiallyConsistent) }
        func store(_ t: Int64) { time.store(t, ordering: .sequentiallyConsistent) }
    }

    /// Datagrams for one partition from other threads; `lock` guards `entries`.
    final class Mailbox: @unchecked Sendable {
        let lock = PlainLock()
        var entries: [EventHeap<Delivery>.Entry] = []
    }

    init(partitions: [SimulationPartition], threads: Int, lookahead: Int64) {
        self.partitions = partitions
        self.threads = max(1, min(threads, partitions.count))
        self.lookahead = lookahead
        self.clocks = (0..<self.threads).map { _ in Clock() }
        self.mailboxes = partitions.map { _ in Mailbox() }
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
        for t in 1..<self.threads {
            let context = Unmanaged.passRetained(StretchWorker(crew: self, thread: t)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(
                &thread, nil,
                { raw in
                    let context = Unmanaged<StretchWorker>.fromOpaque(raw!).takeRetainedValue()
                    context.crew.work(thread: context.thread)
                    return nil
                }, context)
            precondition(rc == 0, "pthread_create: \(rc)")
            workers.append(thread)
        }
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs every partition's events from `start` (none is due before it) to before `end`;
    /// returns when all have, with every datagram in its destination's heap.
    func run(from start: Int64, until end: Int64) {
        for c in clocks { c.store(start) }
        bound.store(end, ordering: .relaxed)
        generation.add(1, ordering: .sequentiallyConsistent)
        notify()
        runOwn(thread: 0, until: end)
        wait { self.clocks.allSatisfy { $0.load() >= end } }
        for i in partitions.indices { takeMail(i) }
    }

    /// Ends the worker threads and joins them.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        generation.add(1, ordering: .sequentiallyConsistent)
        notify()
        for t in workers { pthread_join(t, nil) }
        workers = []
    }

    private func work(thread: Int) {
        var seen = 0
        while true {
            wait { self.generation.load(ordering: .acquiring) != seen }
            seen = generation.load(ordering: .acquiring)
            if stopping.load(ordering: .relaxed) { return }
            runOwn(thread: thread, until: bound.load(ordering: .relaxed))
        }
    }

    /// Thread `t`'s loop through the stretch.
    private func runOwn(thread t: Int, until end: Int64) {
        let own = stride(from: t, to: partitions.count, by: threads).map { $0 }
        var mine = clocks[t].load()
        while mine < end {
            let slowest = slowestOther(than: t)
            for p in own { takeMail(p) }
            let safe = slowest >= end &- lookahead ? end : min(end, slowest &+ lookahead)
            guard safe > mine else {
                wait { self.slowestOther(than: t) != slowest }
                continue
            }
            let next = own.reduce(Int64.max) { min($0, partitions[$1].nextEventTime) }
            // Engines arm their timers at or after the time of the event being run.
            assert(next >= mine, "an event before thread \(t)'s clock")
            let windowEnd = next >= safe &- lookahead ? safe : next &+ lookahead
            for p in own { partitions[p].run(until: windowEnd) }
            for p in own { route(from: p) }
            mine = windowEnd
            clocks[t].store(mine)
            notify()
        }
    }

    private func slowestOther(than t: Int) -> Int64 {
        var slowest = Int64.max
        for u in 0..<threads where u != t { slowest = min(slowest, clocks[u].load()) }
        return slowest
    }

    /// Moves partition `p`'s outbox: to a partition of the same thread straight into its heap,
    /// to another thread's into its mailbox.
    private func route(from p: Int) {
        let source = partitions[p]
        for destination in source.outbox.indices where !source.outbox[destination].isEmpty {
            if destination % threads == p % threads {
                for entry in source.outbox[destination] { partitions[destination].deliveries.push(entry) }
            } else {
                let box = mailboxes[destination]
                box.lock.withLock { box.entries.append(contentsOf: source.outbox[destination]) }
            }
            source.outbox[destination].removeAll(keepingCapacity: true)
        }
    }

    /// Moves partition `p`'s mailbox into its heap.
    private func takeMail(_ p: Int) {
        let box = mailboxes[p]
        box.lock.lock()
        defer { box.lock.unlock() }
        guard !box.entries.isEmpty else { return }
        for entry in box.entries { partitions[p].deliveries.push(entry) }
        box.entries.removeAll(keepingCapacity: true)
    }

    private func notify() {
        guard sleepers.load(ordering: .sequentiallyConsistent) > 0 else { return }
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Spins on `ready`, yielding the core now and then (the thread waited for may need it: the
    /// machine may run more threads than it has cores), then sleeps until a `notify` makes it
    /// true.
    private func wait(_ ready: () -> Bool) {
        for i in 0..<Self.spins {
            if ready() { return }
            if i & 127 == 127 { sched_yield() }
        }
        pthread_mutex_lock(mutex)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while !ready() { pthread_cond_wait(condition, mutex) }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(mutex)
    }
}

/// What a stretch worker thread starts with.
private final class StretchWorker {
    let crew: StretchCrew
    let thread: Int
    init(crew: StretchCrew, thread: Int) {
        self.crew = crew
        self.thread = thread
    }
}
