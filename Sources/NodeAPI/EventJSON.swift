import DHTCore
import DHTWire

/// The one JSON form of a node event (`--events` lines and the control socket's `events`): an
/// object with a `time` and a `type` field, names in snake case. Times are Unix seconds and
/// durations milliseconds, both with three decimals; every field of the event is written, so
/// `EventJSON.decode` gives the event back (times to the millisecond, durations to the
/// microsecond). Pure; thread-safe.
public enum EventJSON {
    /// One timed event as a single-line JSON object.
    public static func line(_ event: TimedEvent) -> String { line(event.event, time: event.time) }

    /// One event as a single-line JSON object, stamped with `time` (Unix seconds).
    public static func line(_ event: NodeEvent, time: Timestamp) -> String {
        object(event, time: time).jsonText
    }

    /// One event as a JSON object, stamped with `time` (Unix seconds).
    public static func object(_ event: NodeEvent, time: Timestamp) -> JSONValue {
        var f = Fields()
        f.add("time", time.seconds)
        switch event {
        case .contactAdded(let layer, let c, let bucket):
            f.type("contact_added")
            f.add("layer", layer)
            f.contact(c)
            f.add("bucket", bucket)
        case .contactRefreshed(let layer, let c, let bucket):
            f.type("contact_refreshed")
            f.add("layer", layer)
            f.contact(c)
            f.add("bucket", bucket)
        case .contactEvicted(let layer, let c, let reason):
            f.type("contact_evicted")
            f.add("layer", layer)
            f.contact(c)
            f.add("reason", reason)
        case .contactFailed(let layer, let c, let failures):
            f.type("contact_failed")
            f.add("layer", layer)
            f.contact(c)
            f.add("failures", failures)
        case .bucketSplit(let layer, let bucket, let prefix):
            f.type("bucket_split")
            f.add("layer", layer)
            f.add("bucket", bucket)
            f.add("prefix_length", prefix)
        case .rpcSent(let info):
            f.type("rpc_sent")
            f.rpc(info)
        case .rpcAnswered(let info, let latency, let error):
            f.type("rpc_answered")
            f.rpc(info)
            f.add("latency_ms", latency.milliseconds)
            if let error { f.add("error", error) }
        case .rpcTimedOut(let info):
            f.type("rpc_timed_out")
            f.rpc(info)
        case .requestServed(let r):
            f.type("request_served")
            f.add("layer", r.layer)
            f.add("method", r.method)
            f.add("from", r.from.description)
            f.add("sender", r.sender.hex)
            f.add("question", r.question)
            if let e = r.error { f.add("error", e) }
        case .lookupStarted(let s):
            f.type("lookup_started")
            f.lookup(s)
        case .lookupProgressed(let s):
            f.type("lookup_round")
            f.lookup(s)
        case .lookupFinished(let s):
            f.type("lookup_finished")
            f.lookup(s)
        case .valueStored(let layer, let keyID, let key, let bytes, let publisher, let from):
            f.type("value_stored")
            f.add("layer", layer)
            f.add("key", key)
            f.add("bytes", bytes)
            f.add("publisher", publisher?.hex)
            f.add("from", from?.description)
            f.add("key_id", keyID?.hex)
        case .storeRefused(let layer, let key, let from, let reason):
            f.type("store_refused")
            f.add("layer", layer)
            f.add("key", key)
            f.add("from", from?.description)
            f.add("reason", reason)
        case .valueServed(let layer, let key, let to):
            f.type("value_served")
            f.add("layer", layer)
            f.add("key", key)
            f.add("to", to.description)
        case .valueExpired(let layer, let key):
            f.type("value_expired")
            f.add("layer", layer)
            f.add("key", key)
        case .valueDeleted(let layer, let key, let by):
            f.type("value_deleted")
            f.add("layer", layer)
            f.add("key", key)
            f.add("by", by?.description ?? "operator")
        case .valueReplicated(let layer, let key, let to, let republish):
            f.type("value_replicated")
            f.add("layer", layer)
            f.add("key", key)
            f.add("to", to.endpoint.description)
            f.add("to_id", to.id.hex)
            f.add("republish", republish)
        case .datagramDropped(let from, let bytes, let reason):
            f.type("datagram_dropped")
            f.add("from", from.description)
            f.add("bytes", bytes)
            f.add("reason", reason.description)
            f.add("reason_code", reason.counterName)
            switch reason {
            case .malformed(let detail), .badFrame(let detail): f.add("reason_detail", detail)
            case .unknownLayer(let l): f.add("reason_layer", l)
            case .unmatchedReply, .ownID, .rateLimited: break
            }
        case .layerStateChanged(let layer, let id, let state):
            f.type("layer_state")
            f.add("layer", layer)
            f.add("node_id", id.hex)
            f.add("state", state.rawValue)
        case .storageFailed(let layer, let keys, let reason):
            f.type("storage_failed")
            f.add("layer", layer)
            f.fields["keys"] = .array(keys.map { .string($0) })
            f.add("reason", reason)
        case .joinStateChanged(let layer, let state):
            f.type("join_state")
            f.add("layer", layer)
            f.add("state", state.name)
            f.add("description", state.description(now: time))
            if let p = state.progress {
                f.add("attempt", p.attempt)
                f.add("seeds", p.seeds)
                f.add("dns_failures", p.last.dns)
                f.add("no_answer", p.last.noAnswer)
                f.add("refused", p.last.refused)
                if let next = p.nextAttemptAt { f.add("next_attempt_at", next.seconds) }
            }
        }
        return f.fields.object
    }
}

/// Builds one event's JSON object, field by field, in insertion order.
private struct Fields {
    var fields = JSONFields()

    mutating func type(_ t: String) { add("type", t) }
    mutating func add(_ key: String, _ v: String?) { fields[key] = .text(v) }
    mutating func add(_ key: String, _ v: Int) { fields[key] = .int(v) }
    mutating func add(_ key: String, _ v: Bool) { fields[key] = .bool(v) }
    mutating func add(_ key: String, _ v: Double) { fields[key] = .double(v) }

    mutating func add(_ key: String, _ t: Timestamp) { add(key, t.seconds) }

    mutating func contact(_ c: Contact) {
        add("id", c.id.hex)
        add("address", c.endpoint.description)
        add("failures", c.failures)
        if let rtt = c.rtt { add("rtt_ms", rtt.milliseconds) }
        add("first_seen", c.firstSeen)
        add("last_seen", c.lastSeen)
        if let r = c.lastReply { add("last_reply", r) }
    }

    mutating func rpc(_ i: RPCInfo) {
        add("rpc_id", i.rpcID.hex)
        add("method", i.method)
        add("peer", i.peer.description)
        add("peer_id", i.peerID?.hex)
        add("layer", i.layer)
        add("attempt", i.attempt)
        if let l = i.lookup { fields["lookup"] = .int(l.value) }
        add("sent_at", i.sentAt)
        add("timeout_ms", i.timeout.milliseconds)
    }

    mutating func lookup(_ s: LookupSummary) {
        fields["lookup"] = .int(s.id.value)
        add("layer", s.layer)
        add("target", s.target.hex)
        add("purpose", s.purpose.rawValue)
        add("round", s.rounds)
        add("rpcs", s.rpcsSent)
        add("in_flight", s.inFlight)
        add("responders", s.responders)
        add("timeouts", s.timeouts)
        if let p = s.closestCommonPrefix { add("closest_common_prefix", p) }
        if let t = s.termination { add("termination", t.rawValue) }
        add("elapsed_ms", s.elapsed.milliseconds)
        add("started_at", s.startedAt)
        fields["closest"] = .array(
            s.closest.map { c in
                .object([("id", .string(c.id.hex)), ("address", .string(c.endpoint.description)), ("layer", .int(c.layer))])
            })
    }
}
