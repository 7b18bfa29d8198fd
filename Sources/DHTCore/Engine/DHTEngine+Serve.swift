import DHTWire

/// The answer to a call we serve.
enum ServeOutcome {
    case result(BValue)
    /// `findValue`'s answer for a held value, written straight into the datagram.
    case found(FoundValueReply)
    /// `findNode`'s answer (and `findValue`'s for a key not held), written straight into the datagram.
    case contacts(ContactsReply)
    case error(type: String, message: String)
    /// Answer `result` only after `changes` are durable.
    case durable([StorageChange], result: BValue)
}

extension DHTEngine {
    /// docs/protocol.md §8: runs the called method and answers to the source address with the same RPC id
    /// and layer and our id for that layer.
    func serve(method: String, args: [BValue], message: WireMessage, from source: Endpoint, question: Bool, now: Timestamp) {
        let layer = message.layer
        let served = ServedMethod(method)
        // Counted under served names and `other` only: a peer inventing names cannot grow it.
        counters.layer(layer) { $0.calls.add(served) }
        counters.unsolicitedRequests += 1
        let outcome: ServeOutcome
        switch served {
        case .ping: outcome = servePing(args)
        case .store: outcome = serveStore(args, layer: layer, sender: message.sender, from: source, now: now)
        case .findNode: outcome = serveFindNode(args, layer: layer, sender: message.sender, withValue: false, from: source, now: now)
        case .findValue: outcome = serveFindNode(args, layer: layer, sender: message.sender, withValue: true, from: source, now: now)
        case .request: outcome = serveRequest(args, layer: layer)
        case .delete where configuration.allowDelete: outcome = serveDelete(args, layer: layer, sender: message.sender, from: source)
        case .delete: outcome = .error(type: "builtins.PermissionError", message: "delete is disabled on this node")
        case .verifyUpdate: outcome = .error(type: "builtins.NotImplementedError", message: "verify_update is not supported")
        case nil: outcome = .error(type: "builtins.AttributeError", message: "Invalid method: \(method)")
        }
        let nodeID = layers[layer]!.nodeID
        var errorType: String?
        switch outcome {
        case .result(let value):
            sendNow(WireMessage(rpcID: message.rpcID, sender: nodeID, layer: layer, body: .response(value)), to: source)
        case .found(let reply):
            let datagrams = try? reply.datagrams(rpcID: message.rpcID, sender: nodeID, layer: layer)
            appendSends(datagrams, layer: layer, to: source, into: &effects)
        case .contacts(let reply):
            let datagrams = try? reply.datagrams(rpcID: message.rpcID, sender: nodeID, layer: layer)
            appendSends(datagrams, layer: layer, to: source, into: &effects)
        case .error(let type, let text):
            errorType = type
            sendNow(WireMessage(rpcID: message.rpcID, sender: nodeID, layer: layer, body: .error(type: type, message: text)), to: source)
        case .durable(let changes, let value):
            let reply = replyEffects(WireMessage(rpcID: message.rpcID, sender: nodeID, layer: layer, body: .response(value)), to: source)
            effects.append(.persist(changes, then: reply))
        }
        emit(
            .requestServed(
                ServedRequest(
                    layer: layer, method: BoundedText.truncate(method, maxBytes: BoundedText.methodBytes), from: source, sender: message.sender,
                    question: question, error: errorType)))
    }

    /// Python's TypeError text for a wrong argument count (`self` counts as one).
    func argumentCountError(_ name: String, _ given: Int, min: Int, max: Int, names: [String]) -> ServeOutcome? {
        if given > max {
            let takes = min == max ? "\(max + 1) positional argument\(max == 0 ? "" : "s")" : "from \(min + 1) to \(max + 1) positional arguments"
            return .error(type: "builtins.TypeError", message: "\(name)() takes \(takes) but \(given + 1) were given")
        }
        if given < min {
            let missing = names[given..<min].map { "'\($0)'" }
            let list = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
            let plural = missing.count == 1 ? "argument" : "arguments"
            return .error(type: "builtins.TypeError", message: "\(name)() missing \(missing.count) required positional \(plural): \(list)")
        }
        return nil
    }

    func servePing(_ args: [BValue]) -> ServeOutcome {
        if let e = argumentCountError("ping", args.count, min: 0, max: 0, names: []) { return e }
        return .result("pong")
    }

    /// A key argument parsed the way Python's `int(key, 16)` does: its wire bytes and its id.
    struct ParsedKey {
        var raw: [UInt8]
        var id: NodeID
    }

    /// Parses a key argument the way Python's `int(key, 16)` does, with Python's error text.
    func parseKey(_ value: BValue) -> Result<ParsedKey, RemoteError> {
        guard case .bytes(let raw) = value else {
            return .failure(RemoteError(type: "builtins.TypeError", message: "int() can't convert non-string with explicit base"))
        }
        guard let id = NodeID(keyHexUTF8: raw) else {
            let text = String(decoding: raw.prefix(200), as: UTF8.self)
            return .failure(RemoteError(type: "builtins.ValueError", message: "invalid literal for int() with base 16: \(PythonString.repr(text))"))
        }
        return .success(ParsedKey(raw: raw, id: id))
    }

    func serveFindNode(_ args: [BValue], layer: Int, sender: NodeID, withValue: Bool, from source: Endpoint, now: Timestamp) -> ServeOutcome {
        let name = withValue ? "findValue" : "findNode"
        if let e = argumentCountError(name, args.count, min: 1, max: 1, names: ["key"]) { return e }
        guard let ctx = layers[layer], ctx.isActive else { return .result(.list([])) }
        let raw: [UInt8], id: NodeID
        switch parseKey(args[0]) {
        case .success(let parsed): (raw, id) = (parsed.raw, parsed.id)
        case .failure(let e): return .error(type: e.type, message: e.message)
        }
        if withValue, let record = ctx.records[raw], !record.isExpired(at: now.unixSeconds) {
            emit(.valueServed(layer: layer, keyText: record.keyText, to: source))
            return .found(
                FoundValueReply(
                    key: raw, value: record.value, expireSeconds: record.expireSeconds,
                    originallyPublished: record.originallyPublished))
        }
        return .contacts(ContactsReply(contacts: ctx.routing.closest(to: id, count: configuration.k, excludingID: sender), layer: layer))
    }

    func serveStore(_ args: [BValue], layer: Int, sender: NodeID, from source: Endpoint, now: Timestamp) -> ServeOutcome {
        if let e = argumentCountError(
            "store", args.count, min: 2, max: 5,
            names: ["key", "value", "originalPublisherID", "age", "expireSeconds"])
        {
            return e
        }
        guard let ctx = layers[layer], ctx.isActive else {
            return .error(type: "builtins.ValueError", message: "Layer is not active")
        }
        guard case .bytes(let key) = args[0], !key.isEmpty, key.count <= 256 else {
            return .error(type: "builtins.ValueError", message: "key must be a non-empty string of at most 256 bytes")
        }
        let publisher: NodeID?
        if args.count > 2 {
            switch args[2] {
            case .int(0): publisher = nil
            case .bytes(let b):
                guard let p = NodeID(hexUTF8: b) else {
                    return .error(type: "builtins.ValueError", message: "originalPublisherID must be 40 hex characters")
                }
                publisher = p
            default: return .error(type: "builtins.TypeError", message: "originalPublisherID must be a string")
            }
        } else {
            publisher = sender
        }
        var age: Int64 = 0
        var expire = configuration.defaultExpireSeconds
        if args.count > 3 {
            guard let a = args[3].int else { return .error(type: "builtins.TypeError", message: "age must be an int") }
            age = RecordBounds.age(a)
        }
        if args.count > 4 {
            guard let e = args[4].int else { return .error(type: "builtins.TypeError", message: "expireSeconds must be an int") }
            expire = RecordBounds.expireSeconds(e)
        }
        // Both clamped (`RecordBounds`): the record expires within a day whatever was sent.
        let record = StoredRecord(
            layer: layer, key: key, value: args[1], lastPublished: now.unixSeconds,
            originallyPublished: Saturating.subtract(now.unixSeconds, age), publisher: publisher,
            expireSeconds: expire)
        switch admit(record, from: source) {
        case .success(let changes): return .durable(changes, result: "OK")
        case .failure(let e): return .error(type: e.type, message: e.message)
        }
    }

    /// Validates a record and, when accepted, keeps it in memory and returns the storage change
    /// that makes it durable. A record from a peer (`source` non-nil) must fit in the storage
    /// quota and in its publisher's and its source host's shares (`StorageQuota`); our own only
    /// in the quotas. If the change then fails to become durable, `persistFailed` takes it back.
    func admit(_ record: StoredRecord, from source: Endpoint?) -> Result<[StorageChange], RemoteError> {
        guard let ctx = layers[record.layer], ctx.isActive else {
            return .failure(RemoteError(type: "builtins.ValueError", message: "Layer is not active"))
        }
        func refuse(_ text: String, type: String = "builtins.ValueError") -> Result<[StorageChange], RemoteError> {
            emit(.storeRefused(layer: record.layer, keyText: record.keyText, from: source, reason: text))
            return .failure(RemoteError(type: type, message: text))
        }
        if source != nil, record.key == DHTKey.nodeState.hexUTF8 { return refuse("nodeState is kept by each node for itself") }
        let size = StorageQuota.encodedSize(record.value)
        if size > configuration.maxValueBytes { return refuse("value too large: \(size) bytes, the limit is \(configuration.maxValueBytes)") }
        let existing = ctx.records[record.key]
        if existing == nil, ctx.records.count >= configuration.maxRecords { return refuse("this node holds the most records it will keep") }
        let charge = StorageQuota.charge(keyBytes: record.key.count, valueBytes: size)
        if let text = StorageQuota.refusal(
            for: record, charge: charge, host: source?.host, in: ctx.records,
            nodeHeld: heldStorageBytes, configuration: configuration)
        {
            return refuse(text)
        }
        if configuration.validateStores, let refusal = storeRule(record.value, existing?.value) {
            return refuse(refusal.message, type: refusal.type)
        }
        ctx.records.insert(record, valueBytes: size, host: source?.host)
        emit(
            .valueStored(
                layer: record.layer, key: record.keyID, keyText: record.keyText, bytes: size,
                publisher: record.publisher, from: source))
        return .success([.put(record)])
    }

    func serveRequest(_ args: [BValue], layer: Int) -> ServeOutcome {
        if let e = argumentCountError("request", args.count, min: 1, max: 1, names: ["key"]) { return e }
        guard case .bytes(let name) = args[0] else {
            return .error(type: "builtins.TypeError", message: "request name must be a string")
        }
        let value = layers[layer]?.nodeData[String(decoding: name, as: UTF8.self)] ?? .int(0)
        return .result(.dict([.bytes(name): value, .int(Int64(layer)): .int(Int64(layer))]))
    }

    func serveDelete(_ args: [BValue], layer: Int, sender: NodeID, from source: Endpoint) -> ServeOutcome {
        if let e = argumentCountError("delete", args.count, min: 1, max: 1, names: ["key"]) { return e }
        guard let ctx = layers[layer], ctx.isActive else { return .result(.list([])) }
        let raw: [UInt8], id: NodeID
        switch parseKey(args[0]) {
        case .success(let parsed): (raw, id) = (parsed.raw, parsed.id)
        case .failure(let e): return .error(type: e.type, message: e.message)
        }
        let contacts = ctx.routing.closest(to: id, count: configuration.k, excludingID: sender)
        let result = ContactsReply(contacts: contacts, layer: layer).list
        guard ctx.records.removeValue(forKey: raw) != nil else { return .result(result) }
        emit(.valueDeleted(layer: layer, keyText: String(decoding: raw, as: UTF8.self), by: source))
        return .durable([.delete(layer: layer, key: raw)], result: result)
    }
}
