#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Synchronization

/// The last termination signal received (SIGINT, SIGTERM or SIGHUP), 0 for none. Written only
/// by the async-signal-safe handler; read by the console's main loop.
let pendingTerminationSignal = Atomic<Int32>(0)

/// Installs handlers that only record SIGINT/SIGTERM/SIGHUP so the main loop can restore the
/// terminal and leave. Call on the main thread before entering curses mode.
enum TerminalSignals {
    static func install() {
        pendingTerminationSignal.store(0, ordering: .relaxed)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { received in pendingTerminationSignal.store(received, ordering: .relaxed) }
        }
    }

    /// Puts the default handlers back.
    static func restore() {
        for sig in [SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
    }

    /// The signal to act on, if any.
    static var pending: Int32 { pendingTerminationSignal.load(ordering: .relaxed) }
}

/// Wall-clock time as the engine's `Timestamp`.
enum WallClock {
    static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    /// A monotonic reading in milliseconds, for frame pacing.
    static func monotonicMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

import DHTWire
