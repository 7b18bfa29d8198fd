import DHTWire
#if canImport(Glibc)
    import Glibc
#endif

/// Where the runtime reads the time. The engine never reads it; the runtime passes `now` in.
/// Implementations must be thread-safe.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// The system's real-time clock (CLOCK_REALTIME). Thread-safe.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }
}
