import DHTWire

extension DHTEngine {
    /// The datagrams of `message`, counted as sent, as effects.
    func replyEffects(_ message: WireMessage, to endpoint: Endpoint) -> [Effect] {
        var out: [Effect] = []
        appendSends(message, to: endpoint, into: &out)
        return out
    }

    /// `replyEffects` appended to the current effects, without an array of its own.
    func sendNow(_ message: WireMessage, to endpoint: Endpoint) {
        appendSends(message, to: endpoint, into: &effects)
    }

    private func appendSends(_ message: WireMessage, to endpoint: Endpoint, into out: inout [Effect]) {
        appendSends(try? MessageCodec.datagrams(for: message), layer: message.layer, to: endpoint, into: &out)
    }

    /// Appends the sends of one encoded message (nil: it could not be framed), counted as sent.
    func appendSends(_ datagrams: [[UInt8]]?, layer: Int, to endpoint: Endpoint, into out: inout [Effect]) {
        guard let datagrams else {
            // Larger than 127 fragments: values are capped far below this, so it cannot happen
            // for anything we store; count it rather than send a truncated message.
            counters.dropped["oversized_reply", default: 0] += 1
            return
        }
        counters.layer(layer) { $0.packetsSent += 1 }
        for d in datagrams {
            counters.bytesSent += d.count
            counters.datagramsSent += 1
            out.append(.send(d, to: endpoint))
        }
    }

    /// Sends a call and records it in the in-flight table; returns its RPC id.
    @discardableResult
    func call(
        _ method: String, args: [BValue], to endpoint: Endpoint, peerID: NodeID?, layer: Int,
        purpose: CallPurpose, now: Timestamp, rpcID: NodeID? = nil, attempt: Int = 1
    ) -> NodeID {
        let ctx = layers[layer]!
        let id = rpcID ?? random.nodeID()
        // Fire-and-forget calls (replication, cache-stores, head pings) are skipped once
        // `maxPendingCalls` are in flight; calls someone waits for are bounded by the lookups.
        if calls.count >= configuration.maxPendingCalls, purpose == .background || purpose == .headPing {
            skippedCalls += 1
            return id
        }
        let body: WireMessage.Body = ctx.sendsQuestions ? .question(method: method, args: args) : .request(method: method, args: args)
        sendNow(WireMessage(rpcID: id, sender: ctx.nodeID, layer: layer, body: body), to: endpoint)
        let info = RPCInfo(
            rpcID: id, method: method, peer: endpoint, peerID: peerID, layer: layer, sentAt: now,
            timeout: configuration.rpcTimeout, attempt: attempt, lookup: purpose.lookupID)
        calls.insert(PendingCall(info: info, purpose: purpose, deadline: now + configuration.rpcTimeout))
        emit(.rpcSent(info))
        return id
    }

    /// docs/protocol.md §5.1 step 6: match an answer to our call; unmatched answers are dropped.
    func handleReply(_ message: WireMessage, result: Result<BValue, RemoteError>, from source: Endpoint, now: Timestamp) {
        guard let pending = calls.remove(message.rpcID) else {
            drop(0, from: source, .unmatchedReply)
            return
        }
        guard pending.info.peer == source, pending.info.layer == message.layer else {
            calls.insert(pending)
            drop(0, from: source, .unmatchedReply)
            return
        }
        let latency = now - pending.info.sentAt
        counters.layer(message.layer) { $0.responses.add(pending.info.method) }
        rpcLatency[LatencyHistogram.key(pending.info.method), default: LatencyHistogram()].record(latency)
        observe(message.sender, at: source, layer: message.layer, reply: latency, now: now)
        var errorText: String?
        if case .failure(let e) = result { errorText = BoundedText.truncate("\(e.type): \(e.message)", maxBytes: BoundedText.errorBytes) }
        emit(.rpcAnswered(pending.info, latency: latency, error: errorText))
        let peer = PeerReply(id: message.sender, endpoint: source, rtt: latency)
        switch pending.purpose {
        case .lookup(let lookupID, let candidate):
            lookupAnswered(lookupID, candidate: candidate, peer: peer, result: result, now: now)
        case .ping(let op):
            switch result {
            case .success(let value) where operations[op].isSingle: finish(op, .answer(peer, value))
            case .success: finish(op, .pong(peer))
            case .failure(let e):
                finish(op, .failed(OperationFailure(.remoteError, BoundedText.truncate("\(e.type): \(e.message)", maxBytes: BoundedText.errorBytes))))
            }
        case .store(let op):
            storeAnswered(op, peer: ContactTriple(id: message.sender, endpoint: source, layer: message.layer), result: result, now: now)
        case .headPing, .background:
            break
        }
    }

    /// Calls whose deadline passed: counted as timeouts, charged to the contact, and reported
    /// to their owner.
    func expireCalls(now: Timestamp) {
        for pending in calls.popExpired(now: now) {
            let info = pending.info
            counters.layer(info.layer) { $0.responses.add("timeout") }
            emit(.rpcTimedOut(info))
            if let peerID = info.peerID, let ctx = layers[info.layer] {
                let changes = ctx.routing.recordFailure(id: peerID, now: now)
                applyRouting(changes, layer: info.layer, now: now)
            }
            switch pending.purpose {
            case .lookup(let lookupID, let candidate):
                lookupFailed(lookupID, candidate: candidate, now: now)
            case .ping(let op):
                finish(op, .failed(OperationFailure(.timeout, "no answer from \(info.peer) within \(format(info.timeout))")))
            case .store(let op):
                let triple = ContactTriple(id: info.peerID ?? .zero, endpoint: info.peer, layer: info.layer)
                storeAnswered(op, peer: triple, result: nil, now: now)
            case .headPing, .background:
                break
            }
        }
    }

    func format(_ d: Duration) -> String {
        let s = d.seconds
        return s >= 1 ? "\(Int(s.rounded())) s" : "\(Int((s * 1000).rounded())) ms"
    }
}

extension Optional where Wrapped == OperationState {
    /// Whether this is a single `call` operation (its answer is handed over as it came).
    var isSingle: Bool {
        if case .single? = self { return true }
        return false
    }
}

extension CallPurpose {
    var lookupID: LookupID? {
        if case .lookup(let id, _) = self { return id }
        return nil
    }
}
