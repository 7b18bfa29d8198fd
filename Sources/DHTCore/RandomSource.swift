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

/// For production: xoshiro256** seeded once from the system's generator. Ids need to be
/// unpredictable enough not to collide, not secret; reading the kernel's generator for every
/// RPC id would cost three system calls per call. Not thread-safe.
public final class SystemRandom: RandomSource {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    public init() {
        var system = SystemRandomNumberGenerator()
        s = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    public func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    @inline(__always)
    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
