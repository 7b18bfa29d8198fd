#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Round-trip times between simulated nodes, from a per-node coordinate and access delay and a
/// per-pair factor, all derived from hashes of the seed and the node indexes (no N² table).
///
/// A node sits at a point of the unit square (distance = propagation) and has an access delay
/// drawn from a log-normal distribution (σ 0.9: a heavy tail of slow links); each pair has a
/// log-normal route factor (σ 0.3). The whole is scaled so that the median RTT over random pairs
/// is `medianRTT` (80 ms by default).
///
/// No one-way delay is shorter than `minimumOneWay` (10 ms; RTT 20 ms, about what two hosts'
/// access links alone cost on the internet): the parallel simulation's threads may run that far
/// ahead of each other. The floor was chosen from the model's distribution of one-way delays
/// over 2 M random pairs (1,000 and 10,000 nodes, seeds 1 and 2): minimum 0.9-1.6 ms, 0.01%
/// quantile 2.5 ms, 0.1% 4.2 ms, 1% 7.8 ms, median 40 ms; 10 ms raises 2.1% of pairs (5 ms,
/// the floor until 2026-11-28, raised 0.2% and gave the threads half the lookahead). A value
/// type; pure: never reads a clock.
public struct LatencyModel: Sendable {
    /// The shortest one-way delay, nanoseconds: nothing sent arrives sooner.
    public static let minimumOneWay: Int64 = 10_000_000
    public let seed: UInt64
    /// The median round-trip time over random pairs, as calibrated.
    public let medianRTT: Duration
    private var x: [Float] = []
    private var y: [Float] = []
    private var access: [Float] = []
    /// Milliseconds of one-way delay per unit of model delay (the calibration).
    private var scale = 1.0

    public init(nodes: Int, seed: UInt64, medianRTT: Duration = .milliseconds(80)) {
        self.seed = seed
        self.medianRTT = medianRTT
        x.reserveCapacity(nodes)
        y.reserveCapacity(nodes)
        access.reserveCapacity(nodes)
        for i in 0..<nodes {
            let h = Hash.mix(seed ^ 0x6c61_7465_6e63_7921, UInt64(i))
            x.append(Float(Hash.unit(h)))
            y.append(Float(Hash.unit(Hash.mix(h, 1))))
            access.append(Float(exp(0.9 * Hash.normal(Hash.mix(h, 2)))))
        }
        // Calibrate on up to 4,096 random pairs.
        let pairs = nodes < 2 ? 0 : 4096
        var samples: [Double] = []
        samples.reserveCapacity(pairs)
        for p in 0..<pairs {
            let h = Hash.mix(seed ^ 0x6361_6c69_6272_6174, UInt64(p))
            let a = Int(h % UInt64(nodes))
            var b = Int((h >> 32) % UInt64(nodes))
            if b == a { b = (a + 1) % nodes }
            samples.append(rawOneWay(a, b))
        }
        samples.sort()
        if let median = samples.isEmpty ? nil : samples[samples.count / 2], median > 0 {
            scale = medianRTT.milliseconds / 2 / median
        }
    }

    /// The model's one-way delay before calibration: propagation (25 units across the square)
    /// plus both access delays (median 1 unit each), times the pair's route factor.
    private func rawOneWay(_ a: Int, _ b: Int) -> Double {
        let dx = Double(x[a] - x[b]), dy = Double(y[a] - y[b])
        let distance = (dx * dx + dy * dy).squareRoot()
        let (lo, hi) = a < b ? (a, b) : (b, a)
        let factor = exp(0.3 * Hash.normal(Hash.mix(seed ^ 0x7061_6972, UInt64(lo) << 32 | UInt64(hi))))
        return (25 * distance + Double(access[a]) + Double(access[b])) * factor
    }

    /// The round-trip time between nodes `a` and `b` (symmetric), in nanoseconds; at least
    /// twice `minimumOneWay` (a node to itself too).
    public func rtt(_ a: Int, _ b: Int) -> Int64 {
        if a == b { return 2 * Self.minimumOneWay }
        return max(2 * Self.minimumOneWay, Int64(2 * rawOneWay(a, b) * scale * 1_000_000))
    }

    /// The one-way delay of one datagram from `a` to `b`: half the RTT plus up to 1 ms of jitter
    /// drawn from `jitter` (a uniform 64-bit value).
    public func oneWay(_ a: Int, _ b: Int, jitter: UInt64) -> Int64 {
        rtt(a, b) / 2 + Int64(jitter % 1_000_000)
    }
}

/// Deterministic hashing to numbers (SplitMix64's finaliser). Pure.
enum Hash {
    @inline(__always)
    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ (b &+ 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in [0, 1) from 53 bits of `h`.
    @inline(__always)
    static func unit(_ h: UInt64) -> Double { Double(h >> 11) / 9_007_199_254_740_992.0 }

    /// A standard normal value (Box–Muller) from `h`.
    static func normal(_ h: UInt64) -> Double {
        let u1 = max(unit(h), 1e-12)
        let u2 = unit(mix(h, 0x5eed))
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A log-normal value with the given median and σ.
    static func logNormal(_ h: UInt64, median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal(h))
    }
}
