import DHTWire

/// The per-source limit on received datagrams: a token bucket per IPv4 address, refilled at
/// `perSecond` up to `burst`. A value type; part of `EngineConfiguration`.
public struct RateLimitConfiguration: Sendable, Hashable, Codable {
    /// Datagrams a second one address may send on average.
    public var perSecond: Double = 200
    /// Datagrams one address may send at once after being quiet.
    public var burst: Double = 400
    /// The most addresses tracked; beyond it idle (full) buckets are forgotten first, then the
    /// least recently seen half.
    public var maxSources: Int = 4096
    /// Never limit 127.0.0.0/8 (local tools and tests on loopback).
    public var exemptLoopback: Bool = true

    enum CodingKeys: String, CodingKey {
        case perSecond = "per_second", burst, maxSources = "max_sources", exemptLoopback = "exempt_loopback"
    }

    public init(perSecond: Double = 200, burst: Double = 400, maxSources: Int = 4096, exemptLoopback: Bool = true) {
        self.perSecond = perSecond
        self.burst = burst
        self.maxSources = maxSources
        self.exemptLoopback = exemptLoopback
    }
}

/// What the rate limiter is doing, for status and the console. A value type.
public struct RateLimitStatus: Sendable, Hashable, Codable {
    /// One address that had datagrams dropped.
    public struct Source: Sendable, Hashable, Codable {
        public var address: String
        public var dropped: Int
        public var lastDropped: Timestamp
        enum CodingKeys: String, CodingKey { case address, dropped, lastDropped = "last_dropped" }
    }
    /// nil when rate limiting is off.
    public var configuration: RateLimitConfiguration?
    public var trackedSources: Int
    /// Addresses with drops, most dropped first (at most 20).
    public var limitedSources: [Source]
    enum CodingKeys: String, CodingKey {
        case configuration, trackedSources = "tracked_sources", limitedSources = "limited_sources"
    }
}

/// Token buckets per source address. Owned by `DHTEngine`, so used on the engine's queue only;
/// never reads a clock (time is passed in).
final class RateLimiter {
    enum Decision: Equatable {
        case admit
        /// Drop; `report` is true at most once a second per address.
        case drop(report: Bool)
    }

    private struct Bucket {
        var tokens: Double
        var refilled: Timestamp
        var lastSeen: Timestamp
        var dropped = 0
        var lastReported: Timestamp?
    }

    let configuration: RateLimitConfiguration?
    private var buckets: [UInt32: Bucket] = [:]

    init(configuration: RateLimitConfiguration?) { self.configuration = configuration }

    /// Takes one token for `address`, or says drop.
    func admit(_ address: UInt32, now: Timestamp) -> Decision {
        guard let config = configuration else { return .admit }
        if config.exemptLoopback && address >> 24 == 127 { return .admit }
        guard var b = buckets[address] else {
            if buckets.count >= max(1, config.maxSources) { evict(now: now, config: config) }
            buckets[address] = Bucket(tokens: config.burst - 1, refilled: now, lastSeen: now)
            return .admit
        }
        let elapsed = max(0, (now - b.refilled).seconds)
        b.tokens = min(config.burst, b.tokens + elapsed * config.perSecond)
        b.refilled = max(b.refilled, now)
        b.lastSeen = now
        let decision: Decision
        if b.tokens >= 1 {
            b.tokens -= 1
            decision = .admit
        } else {
            b.dropped += 1
            let report = b.lastReported.map { now - $0 >= .seconds(1) } ?? true
            if report { b.lastReported = now }
            decision = .drop(report: report)
        }
        buckets[address] = b
        return decision
    }

    /// Forgets buckets that have refilled (they behave like new ones); if none, the least
    /// recently seen half.
    private func evict(now: Timestamp, config: RateLimitConfiguration) {
        let refillTime = config.perSecond > 0 ? config.burst / config.perSecond : .infinity
        let before = buckets.count
        buckets = buckets.filter { (now - $0.value.lastSeen).seconds < refillTime }
        guard buckets.count == before else { return }
        let order = buckets.sorted { $0.value.lastSeen < $1.value.lastSeen }
        for (address, _) in order.prefix(max(1, order.count / 2)) { buckets.removeValue(forKey: address) }
    }

    var status: RateLimitStatus {
        let limited = buckets.filter { $0.value.dropped > 0 }
            .sorted { $0.value.dropped > $1.value.dropped }
            .prefix(20)
            .map {
                RateLimitStatus.Source(
                    address: Endpoint(address: $0.key, port: 0).host, dropped: $0.value.dropped,
                    lastDropped: $0.value.lastReported ?? $0.value.lastSeen)
            }
        return RateLimitStatus(configuration: configuration, trackedSources: buckets.count, limitedSources: Array(limited))
    }
}

extension DHTEngine {
    /// The per-source rate limit, checked before anything else is done with a datagram. Counts
    /// every drop in `counters.dropped["rate_limited"]` and emits `datagramDropped(.rateLimited)`
    /// at most once a second per address. Returns false to drop.
    func admitRateLimited(_ bytes: Int, from source: Endpoint, now: Timestamp) -> Bool {
        // No limit configured: every datagram passes (as the limiter would say), untouched.
        guard configuration.rateLimit != nil else { return true }
        switch rateLimiter.admit(source.address, now: now) {
        case .admit:
            return true
        case .drop(let report):
            counters.dropped[DropReason.rateLimited.counterName, default: 0] += 1
            if report { emit(.datagramDropped(from: source, bytes: bytes, reason: .rateLimited)) }
            return false
        }
    }

    /// The rate limiter's configuration, tracked addresses and the addresses it dropped most.
    public var rateLimitStatus: RateLimitStatus { rateLimiter.status }
}
