import DHTWire

/// The console's wall clock for code outside this target that feeds the console by itself
/// (the demo). Reads the real-time clock; thread-safe.
public enum ConsoleClock {
    public static func now() -> Timestamp { WallClock.now() }
}
