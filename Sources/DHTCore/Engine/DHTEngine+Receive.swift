import DHTWire

extension DHTEngine {
    /// docs/protocol.md §5.1: unframe and reassemble, decode, check the layer, then serve a call or match a reply.
    func handleDatagram(_ datagram: [UInt8], from source: Endpoint, now: Timestamp) {
        guard admitRateLimited(datagram.count, from: source, now: now) else { return }
        let payload: ArraySlice<UInt8>
        switch Framing.classify(datagram) {
        case .unframed(let bytes):
            payload = bytes[...]
        case .framed(let header, let body):
            if header.total == 1 {
                payload = body
            } else {
                switch reassembler.receive(header, payload: body, from: source, now: now) {
                case .complete(let bytes): payload = bytes[...]
                case .pending: return
                case .dropped(let reason):
                    drop(datagram.count, from: source, .badFrame(String(describing: reason)))
                    return
                }
            }
        case .invalid(let reason):
            drop(datagram.count, from: source, .badFrame(String(describing: reason)))
            return
        }
        let message: WireMessage
        let overflowed: Bool
        do {
            // Integers beyond Int64 are read saturated and flagged, so that such a call can
            // still be answered (Python reads any int); nothing is done with their values.
            let decoded = try MessageCodec.decodeAnswerable(payload)
            message = decoded.message
            overflowed = decoded.overflowed
        } catch {
            drop(datagram.count, from: source, .malformed(error.description))
            return
        }
        guard let ctx = layers[message.layer] else {
            drop(datagram.count, from: source, .unknownLayer(message.layer))
            return
        }
        if message.sender == ctx.nodeID {
            // Our own call came back to us (a ping or seed pointing at this node's address):
            // end it now with a clear reason instead of letting it time out.
            if !message.isCall, let pending = calls.remove(message.rpcID) {
                switch pending.purpose {
                case .ping(let op): finish(op, .failed(OperationFailure(.invalidArgument, "\(source) is this node itself")))
                case .lookup(let id, let candidate): lookupFailed(id, candidate: candidate, now: now)
                case .store(let op):
                    storeAnswered(
                        op, peer: ContactTriple(id: ctx.nodeID, endpoint: source, layer: message.layer),
                        result: .failure(RemoteError(type: "dhtop.OwnAddress", message: "this node itself")), now: now)
                case .headPing, .background: break
                }
            }
            drop(datagram.count, from: source, .ownID)
            return
        }
        counters.layer(message.layer) { $0.packetsReceived += 1 }
        if overflowed {
            answerOverflow(message, from: source, bytes: datagram.count)
            return
        }
        switch message.body {
        case .request(let method, let args):
            observe(message.sender, at: source, layer: message.layer, reply: nil, now: now)
            serve(method: method, args: args, message: message, from: source, question: false, now: now)
        case .question(let method, let args):
            serve(method: method, args: args, message: message, from: source, question: true, now: now)
        case .response(let value):
            handleReply(message, result: .success(value), from: source, now: now)
        case .error(let type, let text):
            handleReply(message, result: .failure(RemoteError(type: type, message: text)), from: source, now: now)
        }
    }

    /// A message holding an integer beyond Int64: a call is answered with Python's
    /// OverflowError (and counted under its method), a reply is dropped as malformed.
    func answerOverflow(_ message: WireMessage, from source: Endpoint, bytes: Int) {
        guard case .request(let method, _) = message.body else {
            if case .question(let method, _) = message.body {
                replyOverflowError(message, method: method, from: source, question: true)
            } else {
                drop(bytes, from: source, .malformed(DecodeError.Code.integerOverflow.rawValue))
            }
            return
        }
        replyOverflowError(message, method: method, from: source, question: false)
    }

    private func replyOverflowError(_ message: WireMessage, method: String, from source: Endpoint, question: Bool) {
        let layer = message.layer
        guard let ctx = layers[layer] else { return }
        counters.layer(layer) { $0.calls.add(MethodName.counterKey(method)) }
        let type = "builtins.OverflowError"
        let body = WireMessage.Body.error(type: type, message: "Python int too large to convert to C long")
        sendNow(WireMessage(rpcID: message.rpcID, sender: ctx.nodeID, layer: layer, body: body), to: source)
        emit(
            .requestServed(
                ServedRequest(
                    layer: layer, method: BoundedText.truncate(method, maxBytes: BoundedText.methodBytes),
                    from: source, sender: message.sender, question: question, error: type)))
    }

    func drop(_ bytes: Int, from source: Endpoint, _ reason: DropReason) {
        counters.dropped[reason.counterName, default: 0] += 1
        emit(.datagramDropped(from: source, bytes: bytes, reason: reason))
    }

    /// Adds or refreshes a peer in a layer's table and turns the table's changes into events
    /// and follow-up calls.
    func observe(_ id: NodeID, at endpoint: Endpoint, layer: Int, reply rtt: Duration?, now: Timestamp) {
        guard let ctx = layers[layer] else { return }
        var previousSeen: Timestamp?
        let changes = ctx.routing.observe(id: id, endpoint: endpoint, now: now, isReply: rtt != nil, rtt: rtt, previousSeen: &previousSeen)
        applyRouting(changes, layer: layer, now: now, previousSeen: previousSeen)
    }

    func applyRouting(_ changes: [RoutingChange], layer: Int, now: Timestamp, previousSeen: Timestamp? = nil) {
        for change in changes {
            switch change {
            case .added(let c, let bucket), .promoted(let c, let bucket):
                emit(.contactAdded(layer: layer, contact: c, bucket: bucket))
                replicate(toNewContact: c, layer: layer, now: now)
            case .refreshed(let c, let bucket, _):
                // One event a second per contact is enough for a console.
                if let previousSeen, now - previousSeen < .seconds(1) { continue }
                emit(.contactRefreshed(layer: layer, contact: c, bucket: bucket))
            case .split(let bucket, let prefixLength):
                emit(.bucketSplit(layer: layer, bucket: bucket, prefixLength: prefixLength))
            case .pingHead(let c, _):
                _ = call("ping", args: [], to: c.endpoint, peerID: c.id, layer: layer, purpose: .headPing, now: now)
            case .cachedReplacement, .droppedReplacement:
                break
            case .evicted(let c, _, let reason):
                emit(.contactEvicted(layer: layer, contact: c, reason: String(describing: reason)))
            case .failed(let c, let failures):
                emit(.contactFailed(layer: layer, contact: c, failures: failures))
            }
        }
        if !changes.isEmpty { routingChanged(layer: layer, now: now) }
    }
}

/// An error answer from a peer: `builtins.<Class>` and its text.
struct RemoteError: Error, Hashable {
    var type: String
    var message: String
}
