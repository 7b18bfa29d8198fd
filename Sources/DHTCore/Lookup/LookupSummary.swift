import DHTWire

/// Identifies one iterative lookup inside an engine. A value type.
public struct LookupID: Hashable, Sendable, CustomStringConvertible {
    public var value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "L\(value)" }
}

/// Why a lookup was started. A value type.
public enum LookupPurpose: String, Sendable, Hashable {
    case findNode, findValue, store, join, refresh
}

/// How a lookup ended. A value type.
public enum LookupTermination: String, Sendable, Hashable {
    /// The k closest contacts seen have all answered (true Kademlia termination).
    case converged
    /// A findValue lookup received the value.
    case valueFound
    /// Every candidate was asked; fewer than k answered.
    case exhausted
    /// No contact to start from.
    case noContacts
}

/// A lookup's statistics, reported as it progresses and when it ends. A value type.
public struct LookupSummary: Sendable, Hashable {
    public var id: LookupID
    public var layer: Int
    public var target: NodeID
    public var purpose: LookupPurpose
    public var startedAt: Timestamp
    /// The deepest round reached (a round is one hop further from the start).
    public var rounds: Int
    public var rpcsSent: Int
    public var inFlight: Int
    public var responders: Int
    public var timeouts: Int
    /// The closest responders, closest first, at most k.
    public var closest: [ContactTriple]
    /// Leading bits shared by the target and the closest responder (160 = exact).
    public var closestCommonPrefix: Int?
    public var termination: LookupTermination?
    public var elapsed: Duration

    public init(id: LookupID, layer: Int, target: NodeID, purpose: LookupPurpose, startedAt: Timestamp) {
        self.id = id
        self.layer = layer
        self.target = target
        self.purpose = purpose
        self.startedAt = startedAt
        self.rounds = 0
        self.rpcsSent = 0
        self.inFlight = 0
        self.responders = 0
        self.timeouts = 0
        self.closest = []
        self.closestCommonPrefix = nil
        self.termination = nil
        self.elapsed = .zero
    }
}
