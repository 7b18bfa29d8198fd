import DHTWire

/// A peer in a routing table: its id for one layer, its address, and what we have seen of it.
///
/// A value type; the routing table owns the live copies. Never reads the clock: every time in it
/// was passed in by the engine.
public struct Contact: Hashable, Sendable {
    public var id: NodeID
    public var endpoint: Endpoint
    /// When it first entered the table.
    public var firstSeen: Timestamp
    /// The last message of any kind from it (request or reply).
    public var lastSeen: Timestamp
    /// The last reply to one of our RPCs, if any.
    public var lastReply: Timestamp?
    /// Consecutive RPCs to it that timed out; a reply resets it.
    public var failures: Int
    /// The round-trip time of its latest reply.
    public var rtt: Duration?

    public init(id: NodeID, endpoint: Endpoint, seen: Timestamp) {
        self.id = id
        self.endpoint = endpoint
        self.firstSeen = seen
        self.lastSeen = seen
        self.lastReply = nil
        self.failures = 0
        self.rtt = nil
    }

    /// The health class a console shows for a contact.
    public enum Health: String, Sendable, Hashable, CaseIterable {
        /// Answered recently and has no failures.
        case good
        /// Not heard from lately, or one RPC to it timed out.
        case questionable
        /// Several consecutive RPCs to it timed out.
        case bad
    }

    /// `good` when heard from within `freshness` with no failures, `bad` from two consecutive
    /// failures, otherwise `questionable`.
    public func health(now: Timestamp, freshness: Duration = .seconds(900)) -> Health {
        if failures >= 2 { return .bad }
        if failures == 0, now - lastSeen <= freshness { return .good }
        return .questionable
    }
}

/// A contact as carried in findNode / findValue results: `[id, ip, port, layer]` (docs/protocol.md §9).
public struct ContactTriple: Hashable, Sendable {
    public var id: NodeID
    public var endpoint: Endpoint
    public var layer: Int

    public init(id: NodeID, endpoint: Endpoint, layer: Int) {
        self.id = id
        self.endpoint = endpoint
        self.layer = layer
    }
}
