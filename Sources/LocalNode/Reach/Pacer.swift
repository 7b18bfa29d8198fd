/// Spaces out calls to at most `perSecond` starts a second, shared by every task of a crawl.
/// An actor; reads the monotonic `ContinuousClock` (pacing only, never the node's time).
actor Pacer {
    private let interval: Duration
    private var next: ContinuousClock.Instant = .now

    init(perSecond: Int) { interval = .seconds(1) / max(1, perSecond) }

    /// Waits for the next free slot.
    func slot() async {
        let now = ContinuousClock.now
        let at = max(now, next)
        next = at + interval
        if at > now { try? await Task.sleep(until: at, clock: .continuous) }
    }
}
