import DHTWire

/// The engine's only source of randomness: node ids, RPC ids, refresh targets.
/// Injected so that a test can make many nodes deterministic. Not thread-safe.
public protocol RandomSource: AnyObject {
    func next() -> UInt64
}

extension RandomSource {
    public func nodeID() -> NodeID {
        NodeID(high: next(), middle: next(), low: UInt32(truncatingIfNeeded: next()))
    }

    /// A value in `0..<bound`.
    public func uniform(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next() % UInt64(bound))
    }
}

/// A fast seeded generator (SplitMix64). Deterministic for a seed. Not thread-safe.
public final class SeededRandom: RandomSource {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The system generator, for production. Not thread-safe.
public final class SystemRandom: RandomSource {
    private var generator = SystemRandomNumberGenerator()
    public init() {}
    public func next() -> UInt64 { generator.next() }
}
