import DHTWire

/// An estimate of how many nodes a layer's network has, with a 95 % confidence interval.
/// A value type.
public struct NetworkSizeEstimate: Sendable, Hashable, Codable {
    /// The point estimate (nodes, this one included).
    public var nodes: Double
    /// The 95 % confidence interval.
    public var low: Double
    public var high: Double
    /// How many lookups it rests on.
    public var samples: Int

    public init(nodes: Double, low: Double, high: Double, samples: Int) {
        self.nodes = nodes
        self.low = low
        self.high = high
        self.samples = samples
    }

    /// `~9 nodes (7–12)`.
    public var text: String {
        "~\(Self.round(nodes)) nodes (\(Self.round(low))–\(Self.round(high)))"
    }

    /// The estimate raised to at least `known` nodes (this node and the contacts it holds): in a
    /// network not much bigger than k the distances say little, and "~2 nodes" beside 7 good
    /// contacts reads wrong.
    public func atLeast(_ known: Double) -> NetworkSizeEstimate {
        guard known.isFinite else { return self }
        return NetworkSizeEstimate(nodes: max(nodes, known), low: max(low, known), high: max(high, known), samples: samples)
    }

    static func round(_ x: Double) -> String {
        guard x.isFinite else { return "∞" }
        return x >= 1e9 ? "\(Int(x / 1e9))G" : x >= 1e6 ? "\(Int(x / 1e6))M" : "\(Int(x.rounded()))"
    }
}

/// Estimates the network size from the distances seen by converged lookups, as mainline's and
/// libp2p's estimators do. If N nodes are spread uniformly over the id space, the i-th closest
/// of the other N−1 to any target lies at an expected distance of i/N (as a share of 2^160).
/// One lookup's m closest distances d_i give a density x = Σ i·d_i / Σ i² (least squares of
/// d_i ≈ i·x), whose median is c_m/N (c_4 ≈ 0.907, from the distances' Gamma distributions), so
/// each sample is kept as x / c_m, and many lookups are combined by their median: one lookup
/// made while the network was much smaller (a node that joined early) moves a median by one
/// rank, where it would drag a mean far off. The 95 % interval is the median's, from the
/// samples' order statistics (ranks n/2 ± 0.98·√n). The estimate is only as good as the lookups
/// are exact and the targets independent of the node ids.
///
/// Pure: never reads a clock; keeps the last `capacity` samples (a bounded ring). Not
/// thread-safe (owned by the engine).
public struct NetworkSizeEstimator: Sendable {
    public let capacity: Int
    private var samples: [Double] = []
    private var next = 0

    public init(capacity: Int = 128) { self.capacity = max(2, capacity) }

    /// How many samples are held.
    public var count: Int { samples.count }

    /// Adds one lookup's closest ids (closest first; at least 2 of them) to `target`.
    public mutating func add(target: NodeID, closest: [NodeID]) {
        guard closest.count >= 2 else { return }
        var weighted = 0.0, squares = 0.0
        for (i, id) in closest.enumerated() {
            let rank = Double(i + 1)
            weighted += rank * Self.share(id ^ target)
            squares += rank * rank
        }
        guard weighted > 0 else { return }
        add(density: weighted / squares / Self.medianFactor(closest.count))
    }

    /// The median of N·x for a lookup's `count` closest distances (Monte Carlo, 400,000 draws).
    static func medianFactor(_ count: Int) -> Double {
        let factors = [0.8331, 0.8821, 0.9070, 0.9240, 0.9359, 0.9441, 0.9512]
        return factors[min(max(count, 2), 8) - 2]
    }

    /// Adds one density sample (a value whose median over lookups is 1/N).
    public mutating func add(density: Double) {
        guard density.isFinite, density > 0 else { return }
        if samples.count < capacity {
            samples.append(density)
        } else {
            samples[next] = density
            next = (next + 1) % capacity
        }
    }

    /// The estimate, once at least `minimumSamples` lookups were seen: 1 / the samples' median,
    /// with the median's 95 % interval from order statistics.
    public func estimate(minimumSamples: Int = 3) -> NetworkSizeEstimate? {
        guard samples.count >= max(2, minimumSamples) else { return nil }
        let sorted = samples.sorted()
        let n = sorted.count
        let median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
        let spread = 0.98 * Double(n).squareRoot()
        let lowRank = max(0, Int((Double(n) / 2 - spread).rounded(.down)))
        let highRank = min(n - 1, Int((Double(n) / 2 + spread).rounded(.up)))
        return NetworkSizeEstimate(
            nodes: 1 / median, low: 1 / max(sorted[highRank], median), high: 1 / min(sorted[lowRank], median), samples: n)
    }

    /// A distance as a share of the id space, in [0, 1).
    static func share(_ distance: NodeID) -> Double {
        Double(distance.high) / 18_446_744_073_709_551_616.0
            + Double(distance.middle) / 340_282_366_920_938_463_463_374_607_431_768_211_456.0
    }
}
