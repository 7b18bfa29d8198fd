import DHTWire

extension DHTEngine {
    /// The error type of a store (or delete) answered when its change could not be made durable.
    public static let storageFailedErrorType = "builtins.OSError"

    /// Bytes charged for the records of every layer (`StorageQuota`), kept as running totals.
    public var heldStorageBytes: Int { layers.values.reduce(0) { $0 + $1.records.heldBytes } }

    /// Bytes charged for the records of `layer`.
    public func heldStorageBytes(layer: Int) -> Int { layers[layer]?.records.heldBytes ?? 0 }

    /// Entry point: the host could not make `changes` durable, the changes of an
    /// `Effect.persist(changes, then: replies)` this engine returned (a full disk, an I/O error).
    ///
    /// Every record put by `changes` that is still the one held is taken back out of memory, so
    /// nothing is served that is not on disk (memory then holds a subset of the disk: a record
    /// that a failed put would have replaced, or a failed delete removed, comes back at the next
    /// start). Each reply in `replies` is answered with a `builtins.OSError` "storage failed:
    /// `reason`" error instead, to the same address and RPC id; other effects in `replies` are
    /// returned as they were. Emits `.storageFailed` per layer touched. `reason` is sent to
    /// peers: keep paths out of it.
    public func persistFailed(_ changes: [StorageChange], then replies: [Effect], reason: String, now: Timestamp) -> [Effect] {
        eventTime = now
        var removed: [Int: [String]] = [:]
        for change in changes {
            switch change {
            case .put(let record):
                removed[record.layer, default: []] += []
                guard let ctx = layers[record.layer], ctx.records[record.key] == record else { continue }
                ctx.records.removeValue(forKey: record.key)
                removed[record.layer, default: []].append(record.keyText)
            case .delete(let layer, _):
                removed[layer, default: []] += []
            case .putPublished, .deletePublished:
                break
            }
        }
        for layer in removed.keys.sorted() {
            emit(.storageFailed(layer: layer, keys: removed[layer] ?? [], reason: reason))
        }
        var fragments: [NodeID: [UInt8]] = [:]
        for effect in replies {
            guard case .send(let datagram, let to) = effect else {
                effects.append(effect)
                continue
            }
            let payload: [UInt8]
            switch Framing.classify(datagram) {
            case .unframed(let whole): payload = whole
            case .invalid: continue
            case .framed(let header, let part):
                // Our own replies: fragments come in `seq` order, one message at a time.
                guard fragments.count < 16 else { continue }
                fragments[header.rpcID, default: []] += part
                guard Int(header.seq) + 1 == Int(header.total) else { continue }
                payload = fragments.removeValue(forKey: header.rpcID) ?? []
            }
            guard let message = try? MessageCodec.decode(payload), case .response = message.body else { continue }
            let failure = WireMessage(
                rpcID: message.rpcID, sender: message.sender, layer: message.layer,
                body: .error(type: Self.storageFailedErrorType, message: "storage failed: \(reason)"))
            effects += replyEffects(failure, to: to)
        }
        return takeEffects()
    }
}
