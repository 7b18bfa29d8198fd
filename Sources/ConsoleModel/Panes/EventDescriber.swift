import DHTCore
import DHTWire

/// One line of text per `NodeEvent` for the Events pane (not yet sanitized). Pure, thread-safe.
public enum EventDescriber {
    public static func describe(_ e: NodeEvent) -> (EventCategory, String) {
        switch e {
        case .contactAdded(let l, let c, let b):
            return (.routing, "L\(l) + \(c.id.shortHex()) \(c.endpoint) bucket \(b)")
        case .contactRefreshed(let l, let c, let b):
            return (.routing, "L\(l) ~ \(c.id.shortHex()) \(c.endpoint) bucket \(b)")
        case .contactEvicted(let l, let c, let reason):
            return (.routing, "L\(l) - \(c.id.shortHex()) \(c.endpoint) evicted: \(reason)")
        case .contactFailed(let l, let c, let f):
            return (.error, "L\(l) ! \(c.id.shortHex()) \(c.endpoint) failures \(f)")
        case .bucketSplit(let l, let b, let p):
            return (.routing, "L\(l) bucket \(b) split to /\(p)")
        case .rpcSent(let r):
            return (.rpc, "L\(r.layer) -> \(r.method) \(r.peer)\(r.attempt > 1 ? " try \(r.attempt)" : "")")
        case .rpcAnswered(let r, let latency, let error):
            if let error { return (.error, "L\(r.layer) <- \(r.method) \(r.peer) error: \(error)") }
            return (.rpc, "L\(r.layer) <- \(r.method) \(r.peer) \(Format.millis(latency))")
        case .rpcTimedOut(let r):
            return (.error, "L\(r.layer) timeout \(r.method) \(r.peer)")
        case .requestServed(let s):
            let q = s.question ? " (question)" : ""
            return (
                .served,
                "L\(s.layer) served \(s.method) to \(s.sender.shortHex()) \(s.from)\(q)"
                    + (s.error.map { " error: \($0)" } ?? "")
            )
        case .lookupStarted(let s):
            return (.lookup, "lookup #\(s.id.value) \(s.purpose.rawValue) \(s.target.shortHex(12)) started")
        case .lookupProgressed(let s):
            return (
                .lookup,
                "lookup #\(s.id.value) round \(s.rounds): \(s.responders) answered, \(s.inFlight) in flight, "
                    + "prefix \(s.closestCommonPrefix ?? 0)"
            )
        case .lookupFinished(let s):
            return (
                .lookup,
                "lookup #\(s.id.value) \(s.purpose.rawValue) \(s.termination?.rawValue ?? "stopped") "
                    + CommandOutcome.cost(s)
            )
        case .valueStored(let l, _, let key, let bytes, let pub, let from):
            return (
                .record,
                "L\(l) stored \(key) \(Format.bytes(bytes)) pub \(Format.id(pub))"
                    + (from.map { " from \($0)" } ?? " (local)")
            )
        case .storeRefused(let l, let key, let from, let reason):
            return (.error, "L\(l) refused \(key) from \(from.map(\.description) ?? "local"): \(reason)")
        case .valueServed(let l, let key, let to):
            return (.record, "L\(l) served \(key) to \(to)")
        case .valueExpired(let l, let key):
            return (.record, "L\(l) expired \(key)")
        case .valueDeleted(let l, let key, let by):
            return (.record, "L\(l) deleted \(key) by \(by.map(\.description) ?? "the operator")")
        case .valueReplicated(let l, let key, let to, let republish):
            return (.record, "L\(l) \(republish ? "republished" : "replicated") \(key) to \(to.endpoint)")
        case .datagramDropped(let from, let bytes, let reason):
            return (.drop, "dropped \(bytes)B from \(from): \(reason)")
        case .layerStateChanged(let l, let id, let state):
            return (.layer, "L\(l) \(id.shortHex()) is \(state.rawValue)")
        case .storageFailed(let l, let removed, let reason):
            return (.error, "L\(l) storage failed (\(removed.count) record\(removed.count == 1 ? "" : "s") not kept): \(reason)")

        case .joinStateChanged(let l, let state):
            if case .alone = state { return (.error, "L\(l) \(state.description(now: nil))") }
            return (.layer, "L\(l) \(state.description(now: nil))")
        }
    }
}
