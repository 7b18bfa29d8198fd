import DHTWire

/// Identifies an operation started by the host. Chosen by the host. A value type.
public struct OperationID: Hashable, Sendable, CustomStringConvertible {
    public var value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "op\(value)" }
}

/// Work the host asks the engine to do on the network. A value type.
public enum Operation: Sendable, Hashable {
    /// One ping to an address (the peer's id need not be known).
    case ping(Endpoint, layer: Int)
    /// Iterative findNode: the k closest nodes to `target`.
    case findNode(NodeID, layer: Int)
    /// Iterative findValue. With `collectAll`, every copy the lookup meets is collected instead of
    /// stopping at the first.
    case findValue(key: NodeID, layer: Int, collectAll: Bool)
    /// Iterative store to the k closest nodes, and locally when this node is among them.
    case store(key: NodeID, value: BValue, expireSeconds: Int64, layer: Int)
    /// Join a layer through seed addresses; with no seeds the layer starts a network of its own.
    /// `attach` makes our calls REQUESTs, so that peers add us to their tables (docs/protocol.md §7).
    case join(seeds: [Endpoint], layer: Int, attach: Bool)
    /// One call of `method` with `args` to one address, answered with the peer's raw result
    /// (`request("idurl")` for service discovery, a direct `findNode` for a crawl). The result is
    /// a peer's value: hostile, bounded only by the decoder's limits.
    case call(Endpoint, method: String, args: [BValue], layer: Int)
}

/// What an operation produced. A value type.
public enum OperationResult: Sendable, Hashable {
    case pong(PeerReply)
    case closest(LookupSummary)
    case value(ValueLookupResult)
    case stored(StoreSummary)
    case joined(LookupSummary)
    case failed(OperationFailure)
    /// The answer to a `call`: who answered and the value it returned.
    case answer(PeerReply, BValue)
}

/// A peer that answered, with its round-trip time. A value type.
public struct PeerReply: Sendable, Hashable {
    public var id: NodeID
    public var endpoint: Endpoint
    public var rtt: Duration
    public init(id: NodeID, endpoint: Endpoint, rtt: Duration) {
        self.id = id
        self.endpoint = endpoint
        self.rtt = rtt
    }
}

/// Why an operation failed, in one line for an operator. A value type.
public struct OperationFailure: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case timeout, remoteError, noContacts, layerNotActive, invalidArgument, tooManyLookups, notFound
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }
    public var description: String { message }
}

/// One copy of a value returned by a findValue reply. A value type.
public struct FoundValue: Sendable, Hashable {
    public var value: BValue
    public var expireSeconds: Int64
    public var originallyPublished: Int64
    public var from: PeerReply
    public init(value: BValue, expireSeconds: Int64, originallyPublished: Int64, from: PeerReply) {
        self.value = value
        self.expireSeconds = expireSeconds
        self.originallyPublished = originallyPublished
        self.from = from
    }
}

/// The outcome of an iterative findValue. A value type.
public struct ValueLookupResult: Sendable, Hashable {
    /// Every copy received (the first one first); empty when not found.
    public var values: [FoundValue]
    /// The lookup's own statistics; `closest` holds the closest responders when not found.
    public var lookup: LookupSummary
    /// The node that was given a cached copy (docs/protocol.md §11), if any.
    public var cachedAt: ContactTriple?
    public var found: Bool { !values.isEmpty }
    public init(values: [FoundValue], lookup: LookupSummary, cachedAt: ContactTriple?) {
        self.values = values
        self.lookup = lookup
        self.cachedAt = cachedAt
    }
}

/// The outcome of an iterative store. A value type.
public struct StoreSummary: Sendable, Hashable {
    /// One entry per node a store was sent to.
    public var replies: [StoreReply]
    /// Whether this node kept a copy because it is among the k closest.
    public var storedLocally: Bool
    public var lookup: LookupSummary
    public var okCount: Int { replies.filter { $0.outcome == .ok }.count }
    public init(replies: [StoreReply], storedLocally: Bool, lookup: LookupSummary) {
        self.replies = replies
        self.storedLocally = storedLocally
        self.lookup = lookup
    }
}

/// One node's answer to a store. A value type.
public struct StoreReply: Sendable, Hashable {
    public enum Outcome: Sendable, Hashable {
        case ok
        case refused(type: String, message: String)
        case timeout
        case unexpected(String)
    }
    public var peer: ContactTriple
    public var outcome: Outcome
    public init(peer: ContactTriple, outcome: Outcome) {
        self.peer = peer
        self.outcome = outcome
    }
}
