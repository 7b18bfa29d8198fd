import DHTCore
import DHTWire

/// Time advancing in windows: the partitions run a window's deliveries and timers (in parallel
/// when there are several), then, on the calling thread, the barrier work: datagrams from the
/// outboxes are queued, completed operations are handled in (time, node) order, and agenda
/// actions run one at a time.
extension Simulation {
    /// Advances through every event due at or before `limit`, while `more` holds.
    ///
    /// A window starts at the earliest delivery or timer and ends before the earliest of: one
    /// `LatencyModel.minimumOneWay` later (nothing sent within the window arrives within it),
    /// just after the next agenda action (deliveries and timers go first at equal times), just
    /// after `limit`. An agenda action due before any delivery or timer runs alone, between
    /// windows, so every node's online status is constant within a window and the oracle sees a
    /// settled state. The window boundaries depend only on the events, not on the partitions.
    ///
    /// The partitions of a window are independent, so running them one after the other on this
    /// thread gives the same run: that is done while windows are light (the previous one ran
    /// fewer than `parallelMinimumEvents` events), where waking the other threads would cost
    /// more than it saves.
    func advance(through limit: Int64, while more: () -> Bool = { true }) {
        let crew = threads > 1 ? WindowCrew(partitions: partitions, threads: threads) : nil
        defer { crew?.stop() }
        advanceLoop(through: limit, while: more) { first, bound in
            let end = min(first + LatencyModel.minimumOneWay, bound)
            let before = partitions.reduce(0) { $0 &+ $1.events }
            if let crew, lastWindowEvents >= parallelMinimumEvents {
                crew.run(until: end)
            } else {
                for p in partitions { p.run(until: end) }
            }
            lastWindowEvents = partitions.reduce(0) { $0 &+ $1.events } &- before
            return end
        }
    }

    /// Advances through every event due at or before `limit`: in stretches on several threads
    /// with `runsInStretches`, else in windows (`advance`). Same results either way.
    func advanceAll(through limit: Int64) {
        if threads > 1, runsInStretches { advanceInStretches(through: limit) } else { advance(through: limit) }
    }

    /// `advance` in stretches: every delivery and timer before the next agenda action (or
    /// `limit`, or the next hour's progress line) runs in one `StretchCrew.run`, then the
    /// completions are handled and the action runs, alone, as between windows.
    func advanceInStretches(through limit: Int64) {
        let crew = StretchCrew(partitions: partitions, threads: threads, lookahead: LatencyModel.minimumOneWay)
        defer { crew.stop() }
        advanceLoop(through: limit) { first, bound in
            let end = min(bound, max(nextProgress, first + LatencyModel.minimumOneWay))
            crew.run(from: first, until: end)
            return end
        }
    }

    /// The loop of `advance` and `advanceInStretches`, while `more` holds: queue the outboxes,
    /// report progress at each simulated hour, then either run the deliveries and timers from
    /// the earliest (`first`) to before at most `bound` (just after the next agenda action, or
    /// `limit`) with `runEvents`, which returns where it stopped, and handle the completions; or,
    /// when the agenda's action comes first, run it alone.
    private func advanceLoop(
        through limit: Int64, while more: () -> Bool = { true }, runEvents: (_ first: Int64, _ bound: Int64) -> Int64
    ) {
        while more() {
            flushOutboxes()
            let d = partitions.reduce(Int64.max) { min($0, $1.nextEventTime) }
            let a = agenda.nextTime ?? .max
            let first = min(d, a)
            guard first != .max, first <= limit else { return }
            if first >= nextProgress {
                now = max(now, first)
                progress?(progressLine())
                nextProgress += 3_600_000_000_000
            }
            if d <= a {
                let end = runEvents(d, min(a == .max ? Int64.max : a + 1, limit + 1))
                now = max(now, end - 1)
                drainCompletions()
            } else if let e = agenda.pop() {
                now = max(now, e.at)
                perform(e.payload)
                drainCompletions()
            }
        }
    }

    /// Queues the datagrams waiting in the partitions' outboxes at their destinations.
    func flushOutboxes() {
        guard partitions.count > 1 else { return }
        for source in partitions {
            for (destination, entries) in source.outbox.enumerated() where !entries.isEmpty {
                for entry in entries { partitions[destination].deliveries.push(entry) }
                source.outbox[destination].removeAll(keepingCapacity: true)
            }
        }
    }

    /// Handles the operations the partitions completed, in (time, node) order, each node's in
    /// the order they completed.
    func drainCompletions() {
        var all: [Completion] = []
        for p in partitions where !p.completions.isEmpty {
            all.append(contentsOf: p.completions)
            p.completions.removeAll(keepingCapacity: true)
        }
        guard !all.isEmpty else { return }
        if all.count > 1 {
            all.sort { ($0.at, $0.node, $0.rank) < ($1.at, $1.node, $1.rank) }
        }
        for c in all { completed(c.operation, c.result, on: Int(c.node), at: c.at) }
    }
}
