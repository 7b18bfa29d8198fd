import DHTCore

/// Entangled's lookup termination (docs/protocol.md §11), for comparison only: a lookup that has
/// found no value ends as soon as k contacts have answered, whether or not they are the k
/// closest. (Entangled's round pacing is not modelled: queries go out as slots free, as ours do.)
/// Test support; never linked into `dhtop`. Pure; thread-safe.
public struct EntangledTermination: LookupTerminationPolicy {
    public init() {}

    public func endsEarly(_ progress: LookupProgress) -> Bool {
        progress.responders >= progress.k
    }
}
