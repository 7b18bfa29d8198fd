import DHTWire

/// Something the engine asks its host (the runtime, or a simulated network in tests) to do.
/// Effects are returned in order and must be carried out in that order. A value type.
public enum Effect: Sendable {
    /// Send one datagram.
    case send([UInt8], to: Endpoint)
    /// Make `changes` durable, then carry out `then` (a store is answered "OK" only once durable).
    case persist([StorageChange], then: [Effect])
    /// Publish an event to observers, stamped with the engine's `now` when it happened.
    case event(TimedEvent)
    /// An operation started with `DHTEngine.start` has finished.
    case completed(OperationID, OperationResult)
    /// A layer is alone and will retry joining: the host may resolve its seed names again and
    /// hand the result to `DHTEngine.setSeeds` (off its queue; the engine never waits for it).
    case resolveSeeds
}
