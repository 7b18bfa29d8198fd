/// What a lookup's early-end rule may look at: counts, no contacts. A value type.
public struct LookupProgress: Sendable, Hashable {
    public var purpose: LookupPurpose
    /// The bucket size (how many closest contacts a lookup returns).
    public var k: Int
    /// Contacts (seeds included) that have answered so far.
    public var responders: Int
    /// Queries sent and not answered, failed or slow yet.
    public var inFlight: Int

    public init(purpose: LookupPurpose, k: Int, responders: Int, inFlight: Int) {
        self.purpose = purpose
        self.k = k
        self.responders = responders
        self.inFlight = inFlight
    }
}

/// A rule that may end a lookup that has found no value before true Kademlia termination (the k
/// closest contacts seen have all answered). The product injects none: every lookup terminates
/// as Kademlia says. Test support injects Entangled's rule (stop once k contacts answered,
/// docs/protocol.md §11) to compare the two on the simulated network. Asked on the engine's
/// queue after every step of a lookup; must be pure and never read a clock.
public protocol LookupTerminationPolicy: Sendable {
    /// Whether the lookup ends now (reported as `converged`, with the closest responders).
    func endsEarly(_ progress: LookupProgress) -> Bool
}
