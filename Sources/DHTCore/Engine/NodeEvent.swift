import DHTWire

/// Everything a console can show about a node, as one typed stream of immutable values.
///
/// The engine emits these as `Effect.event` in the order things happened; the runtime fans them
/// out to observers on their own queues. Because they are values, no observer can change the
/// node. A value type; thread-safe.
public enum NodeEvent: Sendable, Hashable {
    // MARK: Routing
    /// A contact entered a bucket.
    case contactAdded(layer: Int, contact: Contact, bucket: Int)
    /// A known contact sent us something (a request or a reply).
    case contactRefreshed(layer: Int, contact: Contact, bucket: Int)
    /// A contact left the table.
    case contactEvicted(layer: Int, contact: Contact, reason: String)
    /// An RPC to a contact timed out; it stays until `maxFailures`.
    case contactFailed(layer: Int, contact: Contact, failures: Int)
    /// A bucket covering our own id was split in two.
    case bucketSplit(layer: Int, bucket: Int, prefixLength: Int)

    // MARK: Our RPCs
    /// We sent a call.
    case rpcSent(RPCInfo)
    /// A call of ours was answered; `error` holds a remote error's type and text.
    case rpcAnswered(RPCInfo, latency: Duration, error: String?)
    /// A call of ours got no answer in time.
    case rpcTimedOut(RPCInfo)

    // MARK: Calls we serve
    /// A peer called us; `unsolicited` is true for requests that are not answers to anything of
    /// ours, which proves the node is reachable from outside.
    case requestServed(ServedRequest)

    // MARK: Lookups
    case lookupStarted(LookupSummary)
    /// One more round of a lookup: the summary so far.
    case lookupProgressed(LookupSummary)
    case lookupFinished(LookupSummary)

    // MARK: Records
    /// A value was stored here: `from` is nil for our own local copy.
    case valueStored(layer: Int, key: NodeID?, keyText: String, bytes: Int, publisher: NodeID?, from: Endpoint?)
    /// A store was refused; `reason` is the exact error sent back.
    case storeRefused(layer: Int, keyText: String, from: Endpoint?, reason: String)
    /// A findValue here returned the value.
    case valueServed(layer: Int, keyText: String, to: Endpoint)
    case valueExpired(layer: Int, keyText: String)
    /// A record was deleted: by a peer's delete RPC, or by this node's operator (`by` nil).
    case valueDeleted(layer: Int, keyText: String, by: Endpoint?)
    /// We handed a record to a node closer to its key, or re-published our own.
    case valueReplicated(layer: Int, keyText: String, to: ContactTriple, republish: Bool)

    // MARK: Datagrams and layers
    case datagramDropped(from: Endpoint, bytes: Int, reason: DropReason)
    case layerStateChanged(layer: Int, nodeID: NodeID, state: LayerState)

    // MARK: Storage
    /// Changes on `layer` could not be made durable (a full disk, an I/O error): `keys` are the
    /// records taken back out of memory (no longer served), `reason` the storage error. Stores
    /// waiting on it were answered with an error.
    case storageFailed(layer: Int, keys: [String], reason: String)

    // MARK: First contact
    /// A layer's join state changed (genesis, joining, alone with the failures and the next
    /// attempt, joined).
    case joinStateChanged(layer: Int, state: JoinState)
}

/// One RPC of ours as the in-flight table sees it. A value type.
public struct RPCInfo: Sendable, Hashable {
    public var rpcID: NodeID
    public var method: String
    public var peer: Endpoint
    /// The peer's id when known (seeds are contacted before their id is known).
    public var peerID: NodeID?
    public var layer: Int
    public var sentAt: Timestamp
    public var timeout: Duration
    /// 1 for the first try.
    public var attempt: Int
    /// The lookup this RPC belongs to, if any.
    public var lookup: LookupID?

    public init(
        rpcID: NodeID, method: String, peer: Endpoint, peerID: NodeID?, layer: Int, sentAt: Timestamp,
        timeout: Duration, attempt: Int, lookup: LookupID?
    ) {
        self.rpcID = rpcID
        self.method = method
        self.peer = peer
        self.peerID = peerID
        self.layer = layer
        self.sentAt = sentAt
        self.timeout = timeout
        self.attempt = attempt
        self.lookup = lookup
    }
}

/// A call a peer made to us and how we answered. A value type.
public struct ServedRequest: Sendable, Hashable {
    public var layer: Int
    public var method: String
    public var from: Endpoint
    public var sender: NodeID
    /// True for QUESTION messages (sender not added to the table).
    public var question: Bool
    /// nil for success, else the error type we answered with.
    public var error: String?
    public init(layer: Int, method: String, from: Endpoint, sender: NodeID, question: Bool, error: String?) {
        self.layer = layer
        self.method = method
        self.from = from
        self.sender = sender
        self.question = question
        self.error = error
    }
}

/// Why a datagram was dropped without an answer. A value type.
public enum DropReason: Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not a message (bencode or envelope error).
    case malformed(String)
    /// A bad frame header or a fragment set that could not be completed.
    case badFrame(String)
    /// The layer in key 5 is not created on this node (docs/protocol.md §5.1 step 3).
    case unknownLayer(Int)
    /// A reply that matches none of our calls, or came from the wrong address.
    case unmatchedReply
    /// A reply to ourselves, or a message carrying our own id.
    case ownID
    /// A per-source rate limit.
    case rateLimited

    public var description: String {
        switch self {
        case .malformed(let s): return "malformed: \(s)"
        case .badFrame(let s): return "bad frame: \(s)"
        case .unknownLayer(let l): return "unknown layer \(l)"
        case .unmatchedReply: return "unmatched reply"
        case .ownID: return "own id"
        case .rateLimited: return "rate limited"
        }
    }

    /// A stable short name for counters.
    public var counterName: String {
        switch self {
        case .malformed: return "malformed"
        case .badFrame: return "bad_frame"
        case .unknownLayer: return "unknown_layer"
        case .unmatchedReply: return "unmatched_reply"
        case .ownID: return "own_id"
        case .rateLimited: return "rate_limited"
        }
    }
}

/// A layer's state on this node (docs/protocol.md §7). A value type.
public enum LayerState: String, Sendable, Hashable {
    /// Messages are answered, but findNode/findValue return [] and stores fail.
    case created
    /// Joining: the first lookup of our own id is running.
    case joining
    /// Joined without attaching: our calls are QUESTIONs, so peers do not add us.
    case joined
    /// Joined and attached: our calls are REQUESTs and peers add us to their tables.
    case attached
}
