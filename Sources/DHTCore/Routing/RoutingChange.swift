import DHTWire

/// What one mutation of a `RoutingTable` did, reported in order so that the engine can act
/// (send a head ping) and a console can show it.
///
/// Contract: bucket indexes are those of the table at the moment the change happened; a
/// `.split(bucket: i, …)` shifts every later index above `i` by one, and changes after it in the
/// same list already use the new numbering.
public enum RoutingChange: Sendable, Hashable {
    /// A new contact entered bucket `bucket`.
    case added(Contact, bucket: Int)
    /// A known contact was seen again and moved to the tail of its bucket.
    case refreshed(Contact, bucket: Int, endpointChanged: Bool)
    /// Bucket `bucket` (which contained our own id) was halved into `bucket` (next bit 0) and
    /// `bucket + 1` (next bit 1), both with prefix length `newPrefixLength`.
    case split(bucket: Int, newPrefixLength: Int)
    /// The bucket is full: the engine must ping this head contact and report the outcome with
    /// `headPingAnswered` or `headPingFailed`. At most one is outstanding per bucket.
    case pingHead(Contact, bucket: Int)
    /// A newcomer was kept (or refreshed) in the bucket's replacement cache.
    case cachedReplacement(Contact, bucket: Int)
    /// A candidate left the replacement cache (cache overflow, unresponsive, removed, or its
    /// endpoint now belongs to another id). It was never in the live table.
    case droppedReplacement(Contact, bucket: Int)
    /// A contact left the live table.
    case evicted(Contact, bucket: Int, reason: EvictionReason)
    /// A replacement took a free slot in the live table.
    case promoted(Contact, bucket: Int)
    /// An RPC to a live contact timed out; it stays in the table for now.
    case failed(Contact, failures: Int)
}

/// Why a contact left the live routing table.
public enum EvictionReason: Sendable, Hashable {
    /// `failures` consecutive RPCs to it timed out (≥ `maxFailures`).
    case unresponsive(failures: Int)
    /// It did not answer the head ping sent because its bucket was full.
    case headPingFailed
    /// The engine removed it explicitly.
    case removed
    /// Its endpoint now speaks for another id (a restarted peer with a fresh id, or another
    /// known contact moved to that address).
    case replacedByNewID
}
