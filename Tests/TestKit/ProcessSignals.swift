import Foundation
#if canImport(Glibc)
    import Glibc
#endif

extension Process {
    /// Starts the process with no signal blocked. Dispatch's worker threads block most signals
    /// and `run()` passes the calling thread's mask on to the child, which would then ignore
    /// SIGTERM and SIGHUP (a node that cannot be stopped, a tmux server that never exits).
    /// Thread-safe: it changes only the calling thread's mask, and restores it.
    public func runWithSignalsUnblocked() throws {
        var empty = sigset_t(), saved = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        try run()
    }
}
