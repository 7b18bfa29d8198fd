import DHTWire

/// Why we made a call, so that its answer reaches the right owner.
enum CallPurpose: Hashable {
    /// A query of an iterative lookup; `placeholder` is the temporary id of a seed whose real id
    /// is not known yet.
    case lookup(LookupID, candidate: NodeID)
    /// A ping operation started by the host.
    case ping(OperationID)
    /// A ping of a full bucket's head contact (eviction check).
    case headPing
    /// A store of an iterative store operation.
    case store(OperationID)
    /// A cache-store after a findValue (docs/protocol.md §11), a replication or a republish: fire and forget.
    case background
}

/// One of our calls awaiting its answer.
struct PendingCall {
    var info: RPCInfo
    var purpose: CallPurpose
    var deadline: Timestamp
}

/// The in-flight table of our outgoing calls, by RPC id, with deadlines in send order.
/// Not thread-safe; owned by the engine.
struct PendingCalls {
    private var byID: [NodeID: PendingCall] = [:]
    /// Deadlines in the order calls were made; since every call gets the same timeout this is
    /// also deadline order, so expiry is amortised O(1).
    private var queue: [(deadline: Timestamp, id: NodeID)] = []
    private var head = 0
    /// `queue[head]` was found still pending and nothing changed since (`earliestDeadline`
    /// then answers without a look-up: the engine asks after every event).
    private var headPending = false
    /// `queue[head].deadline`, nil when nothing is queued from `head` on: kept beside the
    /// counters so that a tick with nothing due reads no queue (the engines' state is mostly
    /// out of the caches at 10,000 nodes).
    private var frontDeadline: Timestamp?
    /// The RPC id at `queue[head]` while `headPending`: removing any other call leaves it so.
    private var frontID: NodeID?

    var count: Int { byID.count }
    var all: [PendingCall] { Array(byID.values) }

    mutating func insert(_ call: PendingCall) {
        // A call queued behind the front leaves the front (and whether it is pending) as it was.
        if let front = frontDeadline, front <= call.deadline {} else { headPending = false }
        byID[call.info.rpcID] = call
        if let last = queue.last, call.deadline < last.deadline {
            // A shorter timeout than the ones before it: keep the queue sorted.
            let index = queue[head...].firstIndex { $0.deadline > call.deadline } ?? queue.count
            queue.insert((call.deadline, call.info.rpcID), at: index)
        } else {
            queue.append((call.deadline, call.info.rpcID))
        }
        // Sorted insertion: the front changes only to an earlier deadline.
        if let front = frontDeadline, front <= call.deadline {} else { frontDeadline = call.deadline }
    }

    mutating func remove(_ rpcID: NodeID) -> PendingCall? {
        if headPending, rpcID == frontID { headPending = false }
        return byID.removeValue(forKey: rpcID)
    }

    func contains(_ rpcID: NodeID) -> Bool { byID[rpcID] != nil }

    /// The earliest deadline still pending (skipping, for good, entries already answered).
    mutating func earliestDeadline() -> Timestamp? {
        if headPending { return frontDeadline }
        while head < queue.count {
            if byID[queue[head].id] != nil {
                headPending = true
                frontID = queue[head].id
                frontDeadline = queue[head].deadline
                return frontDeadline
            }
            head += 1
        }
        frontDeadline = nil
        return nil
    }

    /// Removes and returns every call whose deadline has passed.
    mutating func popExpired(now: Timestamp) -> [PendingCall] {
        guard let front = frontDeadline, front <= now else { return [] }
        headPending = false
        var out: [PendingCall] = []
        while head < queue.count, queue[head].deadline <= now {
            if let call = byID.removeValue(forKey: queue[head].id) { out.append(call) }
            head += 1
        }
        frontDeadline = head < queue.count ? queue[head].deadline : nil
        if head > 1024, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return out
    }
}
