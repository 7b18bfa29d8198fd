import DHTCore
import DHTWire

/// Reading `EventJSON` objects back into events (the control socket's `events` lines, read by
/// an attached console). Every field is checked: a missing or mistyped field, an unknown `type`,
/// a bad id or address, or a number out of range gives nil, never a trap. Times come back to
/// the millisecond and durations to the microsecond, as they were written. Pure; thread-safe.
extension EventJSON {
    /// The event and its time, or nil when `object` is not an event as `object(_:time:)` writes it.
    public static func decode(_ object: JSONValue) -> TimedEvent? {
        let r = Reader(object)
        guard let time = r.time("time"), let type = r.string("type"), let event = event(type, r) else { return nil }
        return TimedEvent(event, at: time)
    }

    private static func event(_ type: String, _ r: Reader) -> NodeEvent? {
        switch type {
        case "contact_added":
            guard let l = r.int("layer"), let c = r.contact(), let b = r.int("bucket") else { return nil }
            return .contactAdded(layer: l, contact: c, bucket: b)
        case "contact_refreshed":
            guard let l = r.int("layer"), let c = r.contact(), let b = r.int("bucket") else { return nil }
            return .contactRefreshed(layer: l, contact: c, bucket: b)
        case "contact_evicted":
            guard let l = r.int("layer"), let c = r.contact(), let why = r.string("reason") else { return nil }
            return .contactEvicted(layer: l, contact: c, reason: why)
        case "contact_failed":
            guard let l = r.int("layer"), let c = r.contact(), let n = r.int("failures") else { return nil }
            return .contactFailed(layer: l, contact: c, failures: n)
        case "bucket_split":
            guard let l = r.int("layer"), let b = r.int("bucket"), let p = r.int("prefix_length") else { return nil }
            return .bucketSplit(layer: l, bucket: b, prefixLength: p)
        case "rpc_sent":
            return r.rpc().map(NodeEvent.rpcSent)
        case "rpc_answered":
            guard let i = r.rpc(), let latency = r.milliseconds("latency_ms"), let error = r.optionalString("error") else { return nil }
            return .rpcAnswered(i, latency: latency, error: error)
        case "rpc_timed_out":
            return r.rpc().map(NodeEvent.rpcTimedOut)
        case "request_served":
            guard let l = r.int("layer"), let m = r.string("method"), let from = r.endpoint("from"), let sender = r.id("sender"),
                let q = r.bool("question"), let error = r.optionalString("error")
            else { return nil }
            return .requestServed(ServedRequest(layer: l, method: m, from: from, sender: sender, question: q, error: error))
        case "lookup_started": return r.lookup().map(NodeEvent.lookupStarted)
        case "lookup_round": return r.lookup().map(NodeEvent.lookupProgressed)
        case "lookup_finished": return r.lookup().map(NodeEvent.lookupFinished)
        case "value_stored":
            guard let l = r.int("layer"), let key = r.string("key"), let bytes = r.int("bytes"), let keyID = r.optionalID("key_id"),
                let publisher = r.optionalID("publisher"), let from = r.optionalEndpoint("from")
            else { return nil }
            return .valueStored(layer: l, key: keyID, keyText: key, bytes: bytes, publisher: publisher, from: from)
        case "store_refused":
            guard let l = r.int("layer"), let key = r.string("key"), let from = r.optionalEndpoint("from"),
                let why = r.string("reason")
            else { return nil }
            return .storeRefused(layer: l, keyText: key, from: from, reason: why)
        case "value_served":
            guard let l = r.int("layer"), let key = r.string("key"), let to = r.endpoint("to") else { return nil }
            return .valueServed(layer: l, keyText: key, to: to)
        case "value_expired":
            guard let l = r.int("layer"), let key = r.string("key") else { return nil }
            return .valueExpired(layer: l, keyText: key)
        case "value_deleted":
            guard let l = r.int("layer"), let key = r.string("key"), let by = r.string("by") else { return nil }
            if by == "operator" { return .valueDeleted(layer: l, keyText: key, by: nil) }
            guard let e = Reader.endpoint(by) else { return nil }
            return .valueDeleted(layer: l, keyText: key, by: e)
        case "value_replicated":
            guard let l = r.int("layer"), let key = r.string("key"), let to = r.endpoint("to"), let id = r.id("to_id"),
                let republish = r.bool("republish")
            else { return nil }
            return .valueReplicated(layer: l, keyText: key, to: ContactTriple(id: id, endpoint: to, layer: l), republish: republish)
        case "datagram_dropped":
            guard let from = r.endpoint("from"), let bytes = r.int("bytes"), let reason = r.dropReason() else { return nil }
            return .datagramDropped(from: from, bytes: bytes, reason: reason)
        case "layer_state":
            guard let l = r.int("layer"), let id = r.id("node_id"), let s = r.string("state").flatMap(LayerState.init(rawValue:))
            else { return nil }
            return .layerStateChanged(layer: l, nodeID: id, state: s)
        case "storage_failed":
            guard let l = r.int("layer"), case .array(let items)? = r.object["keys"], let why = r.string("reason") else { return nil }
            let keys = items.compactMap(\.stringValue)
            guard keys.count == items.count else { return nil }
            return .storageFailed(layer: l, keys: keys, reason: why)
        default:
            return nil
        }
    }
}

/// Typed, checked reads of one event object's fields. A value type; pure.
private struct Reader {
    let object: JSONValue
    init(_ object: JSONValue) { self.object = object }

    func string(_ name: String) -> String? { object[name]?.stringValue }

    /// `.some(nil)` for a missing or null field, nil for a field of another type.
    func optionalString(_ name: String) -> String?? {
        switch object[name] {
        case nil, .null?: return .some(nil)
        case .string(let s)?: return .some(s)
        default: return nil
        }
    }

    func int(_ name: String) -> Int? {
        guard case .number(let n)? = object[name] else { return nil }
        return Int(n)
    }

    func uint64(_ name: String) -> UInt64? {
        guard case .number(let n)? = object[name] else { return nil }
        return UInt64(n)
    }

    func bool(_ name: String) -> Bool? {
        guard case .bool(let b)? = object[name] else { return nil }
        return b
    }

    /// A number scaled by `scale` and rounded to a whole count of `unit` nanoseconds.
    func scaled(_ name: String, scale: Double, unit: Int64) -> Int64? {
        guard case .number(let n)? = object[name], let d = Double(n) else { return nil }
        let units = (d * scale).rounded()
        guard units.isFinite, abs(units) < 9.0e18 / Double(unit) else { return nil }
        return Int64(units) * unit
    }

    /// Unix seconds (three decimals) as a timestamp, to the millisecond.
    func time(_ name: String) -> Timestamp? {
        scaled(name, scale: 1000, unit: 1_000_000).map(Timestamp.init(nanoseconds:))
    }

    /// Milliseconds (three decimals) as a duration, to the microsecond.
    func milliseconds(_ name: String) -> Duration? {
        scaled(name, scale: 1000, unit: 1000).map(Duration.nanoseconds)
    }

    func id(_ name: String) -> NodeID? { string(name).flatMap { NodeID(hex: $0) } }

    func optionalID(_ name: String) -> NodeID?? {
        guard let s = optionalString(name) else { return nil }
        guard let text = s else { return .some(nil) }
        return NodeID(hex: text).map { .some($0) }
    }

    static func endpoint(_ text: String) -> Endpoint? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        return Endpoint(host: text[..<colon], port: port)
    }

    func endpoint(_ name: String) -> Endpoint? { string(name).flatMap(Reader.endpoint) }

    func optionalEndpoint(_ name: String) -> Endpoint?? {
        guard let s = optionalString(name) else { return nil }
        guard let text = s else { return .some(nil) }
        return Reader.endpoint(text).map { .some($0) }
    }

    func contact() -> Contact? {
        guard let id = id("id"), let address = endpoint("address"), let failures = int("failures"),
            let first = time("first_seen"), let last = time("last_seen")
        else { return nil }
        var c = Contact(id: id, endpoint: address, seen: first)
        c.lastSeen = last
        c.failures = failures
        if object["last_reply"] != nil {
            guard let t = time("last_reply") else { return nil }
            c.lastReply = t
        }
        if object["rtt_ms"] != nil {
            guard let rtt = milliseconds("rtt_ms") else { return nil }
            c.rtt = rtt
        }
        return c
    }

    func rpc() -> RPCInfo? {
        guard let rpcID = id("rpc_id"), let method = string("method"), let peer = endpoint("peer"), let peerID = optionalID("peer_id"),
            let layer = int("layer"), let attempt = int("attempt"), let sentAt = time("sent_at"),
            let timeout = milliseconds("timeout_ms")
        else { return nil }
        var lookup: LookupID?
        if object["lookup"] != nil {
            guard let l = uint64("lookup") else { return nil }
            lookup = LookupID(l)
        }
        return RPCInfo(
            rpcID: rpcID, method: method, peer: peer, peerID: peerID, layer: layer, sentAt: sentAt,
            timeout: timeout, attempt: attempt, lookup: lookup)
    }

    func lookup() -> LookupSummary? {
        guard let id = uint64("lookup"), let layer = int("layer"), let target = self.id("target"),
            let purpose = string("purpose").flatMap(LookupPurpose.init(rawValue:)), let startedAt = time("started_at"),
            let rounds = int("round"), let rpcs = int("rpcs"), let inFlight = int("in_flight"), let responders = int("responders"),
            let timeouts = int("timeouts"), let elapsed = milliseconds("elapsed_ms"),
            case .array(let closest)? = object["closest"]
        else { return nil }
        var s = LookupSummary(id: LookupID(id), layer: layer, target: target, purpose: purpose, startedAt: startedAt)
        s.rounds = rounds
        s.rpcsSent = rpcs
        s.inFlight = inFlight
        s.responders = responders
        s.timeouts = timeouts
        s.elapsed = elapsed
        if object["closest_common_prefix"] != nil {
            guard let p = int("closest_common_prefix") else { return nil }
            s.closestCommonPrefix = p
        }
        if object["termination"] != nil {
            guard let t = string("termination").flatMap(LookupTermination.init(rawValue:)) else { return nil }
            s.termination = t
        }
        for item in closest {
            let c = Reader(item)
            guard let cid = c.id("id"), let address = c.endpoint("address"), let l = c.int("layer") else { return nil }
            s.closest.append(ContactTriple(id: cid, endpoint: address, layer: l))
        }
        return s
    }

    func dropReason() -> DropReason? {
        switch string("reason_code") {
        case "malformed": return string("reason_detail").map(DropReason.malformed)
        case "bad_frame": return string("reason_detail").map(DropReason.badFrame)
        case "unknown_layer": return int("reason_layer").map(DropReason.unknownLayer)
        case "unmatched_reply": return .unmatchedReply
        case "own_id": return .ownID
        case "rate_limited": return .rateLimited
        default: return nil
        }
    }
}
