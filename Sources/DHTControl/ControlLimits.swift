/// Every budget and timeout of the control socket in one value, so tests can shrink them.
/// A value type; pure (the durations are read by `ControlConnection`'s monotonic checks).
public struct ControlLimits: Sendable, Hashable {
    /// From accept to a complete `hello` line; a client still silent (or dribbling) after this is closed.
    public var handshakeTimeout: Duration = .seconds(5)
    /// A client that is not subscribed, runs no command and sends no complete line for this long is closed.
    public var idleTimeout: Duration = .seconds(60)
    /// A client with unsent bytes that reads none of them for this long is closed as stalled.
    public var stallTimeout: Duration = .seconds(30)
    /// How often each connection checks the three deadlines above.
    public var checkInterval: Duration = .milliseconds(500)
    /// Connections at once (each is a queue, two dispatch sources and a file descriptor).
    public var maxClients = 32
    /// Of those, connections still waiting for `hello`; the oldest is dropped to admit a new one.
    public var maxPendingHandshakes = 8
    /// Unsent bytes of all clients together (server-side buffers; the kernel's socket buffers are extra).
    public var sendBudgetBytes = 32 << 20
    /// Unsent bytes of one client: a quarter of the budget, so one stalled console never takes it all.
    public var perClientSendBytes: Int { max(1, sendBudgetBytes / 4) }
    /// Target size of one `snapshot_part` line (one record larger than this goes alone).
    public var snapshotPartBytes = 256 << 10
    /// Node events per `events` line.
    public var eventsPerLine = 256
    /// Prompt commands one connection may have running at once.
    public var maxCommandsInFlight = 8

    public init() {}
}

extension Duration {
    /// Whole nanoseconds, saturating (for Dispatch deadlines and monotonic comparisons).
    var saturatingNanoseconds: UInt64 {
        let (s, atto) = components
        guard s >= 0 else { return 0 }
        let (n, overflow) = UInt64(s).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        let (sum, o2) = n.addingReportingOverflow(UInt64(atto / 1_000_000_000))
        return o2 ? .max : sum
    }
}
