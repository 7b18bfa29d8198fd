import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// What the control socket and the metrics endpoint share about their listening side: a timer
/// that repeats on the server's queue, and the stop of a listening socket watched by a read
/// source, whose descriptor is closed only by the source's cancel handler (closing it under a
/// live source could let a new socket take its number and lose its registration).
///
/// Contract: call on the server's own queue; reads no clock.
enum ListeningSource {
    /// A started timer on `queue` calling `handler` every `interval`.
    static func repeatingTimer(
        on queue: DispatchQueue, every interval: DispatchTimeInterval,
        _ handler: @escaping @Sendable () -> Void
    ) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler(handler: handler)
        timer.resume()
        return timer
    }

    /// Cancels `source`; its cancel handler closes `fd` and then signals `closed`.
    static func cancel(_ source: DispatchSourceRead, closing fd: Int32, then closed: DispatchSemaphore) {
        source.setCancelHandler {
            close(fd)
            closed.signal()
        }
        source.cancel()
    }
}
