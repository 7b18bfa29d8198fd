import DHTCore
import DHTWire

/// What the console saw of each contact's calls: the last `samplesPerContact` RPCs of ours to it
/// (method, round-trip time or timeout or remote error), folded from `rpc_answered` /
/// `rpc_timed_out` events — the same stream in the embedded and the attached console.
///
/// Contract: a value type owned by `ConsoleState` (UI thread); reads no clock. Bounded: at most
/// `capacity` contacts (the one heard from longest ago is forgotten first), `samplesPerContact`
/// samples each; a peer's choice of ids cannot grow it.
public struct ContactHistory: Sendable {
    /// One call of ours to the contact and how it ended.
    public struct Sample: Sendable, Hashable {
        public enum Outcome: Sendable, Hashable {
            case answered(Duration)
            case remoteError(String)
            case timeout
        }
        public var at: Timestamp
        public var method: String
        public var outcome: Outcome
    }

    /// Identifies a contact: its id on one layer.
    public struct ContactKey: Sendable, Hashable {
        public var layer: Int
        public var id: NodeID
        public init(layer: Int, id: NodeID) {
            self.layer = layer
            self.id = id
        }
    }

    /// Contacts tracked at most (docs/limits.md, "Console").
    public static let capacity = 1024
    /// Samples kept per contact.
    public static let samplesPerContact = 16

    struct Entry: Sendable {
        var samples = RingBuffer<Sample>(capacity: ContactHistory.samplesPerContact)
        var lastAt: Timestamp
    }

    private(set) var entries: [ContactKey: Entry] = [:]

    public init() {}

    /// How many contacts have a history.
    public var count: Int { entries.count }

    /// The samples of a contact, oldest first.
    public func samples(layer: Int, id: NodeID) -> [Sample] {
        entries[ContactKey(layer: layer, id: id)]?.samples.elements ?? []
    }

    /// The call of an `rpc_answered` / `rpc_timed_out` event made to an address without an id
    /// (a `ping HOST:PORT`, a seed): the caller names the contact there, if any, for `fold`.
    public static func addressedCall(_ event: NodeEvent) -> RPCInfo? {
        switch event {
        case .rpcAnswered(let r, _, _) where r.peerID == nil, .rpcTimedOut(let r) where r.peerID == nil: return r
        default: return nil
        }
    }

    /// Folds an RPC event; other events are ignored. `addressee` is the id of the contact at
    /// the address of a call made without an id (see `addressedCall`).
    public mutating func fold(_ event: NodeEvent, at: Timestamp, addressee: NodeID? = nil) {
        switch event {
        case .rpcAnswered(let r, let latency, let error):
            guard let id = r.peerID ?? addressee else { return }
            let outcome: Sample.Outcome = error.map { .remoteError(Sanitizer.clean($0)) } ?? .answered(latency)
            add(Sample(at: at, method: Sanitizer.clean(r.method), outcome: outcome), layer: r.layer, id: id)
        case .rpcTimedOut(let r):
            guard let id = r.peerID ?? addressee else { return }
            add(Sample(at: at, method: Sanitizer.clean(r.method), outcome: .timeout), layer: r.layer, id: id)
        default:
            return
        }
    }

    mutating func add(_ sample: Sample, layer: Int, id: NodeID) {
        let key = ContactKey(layer: layer, id: id)
        if entries[key] == nil, entries.count >= Self.capacity {
            // Full: forget the stalest eighth at once, so a stream of new ids costs one sort
            // per 128 of them rather than a scan each.
            let stalest = entries.sorted { $0.value.lastAt < $1.value.lastAt }.prefix(Self.capacity / 8)
            for (k, _) in stalest { entries[k] = nil }
        }
        entries[key, default: Entry(lastAt: sample.at)].samples.append(sample)
        entries[key]?.lastAt = sample.at
    }
}
