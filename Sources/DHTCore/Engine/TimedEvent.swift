import DHTWire

/// A node event and the engine's `now` when it happened (the `now` of the entry point that
/// produced it), so that every observer — the console, the control socket, `--events` lines —
/// shows the same time whenever the event reaches it. A value type; thread-safe.
public struct TimedEvent: Sendable, Hashable {
    public var event: NodeEvent
    /// The engine's time when the event happened (never read from a clock by the engine).
    public var time: Timestamp

    public init(_ event: NodeEvent, at time: Timestamp) {
        self.event = event
        self.time = time
    }
}

extension TimedEvent {
    /// `events` cut into runs of consecutive events with the same time, in order: for consumers
    /// that take a batch of events and one time.
    public static func runs(_ events: [TimedEvent]) -> [(time: Timestamp, events: [NodeEvent])] {
        var out: [(time: Timestamp, events: [NodeEvent])] = []
        for e in events {
            if let last = out.indices.last, out[last].time == e.time {
                out[last].events.append(e.event)
            } else {
                out.append((e.time, [e.event]))
            }
        }
        return out
    }
}
