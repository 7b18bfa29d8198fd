/// How much the engine holds right now, item by item: what the budgets of docs/limits.md bound.
/// For tests, fuzzers and status. A value type; thread-safe.
public struct EngineStateSizes: Sendable, Hashable {
    /// Records held, all layers (`maxRecords` per layer).
    public var records: Int
    /// Records this node published and republishes (set by the operator only).
    public var published: Int
    /// Our RPCs awaiting an answer (`maxPendingCalls` for fire-and-forget ones).
    public var pendingCalls: Int
    /// Lookups running (`maxConcurrentLookups`).
    public var lookups: Int
    /// Operations awaiting a result (host operations and republishes).
    public var operations: Int
    /// Incomplete fragment sets and their bytes (`ReassemblyLimits`).
    public var reassemblySets: Int
    public var reassemblyBytes: Int
    /// Addresses the rate limiter tracks (`RateLimitConfiguration.maxSources`).
    public var rateLimitedSources: Int
    /// Republishes queued and not started (at most `published`).
    public var republishQueue: Int
    /// Contacts and replacement candidates in every routing table.
    public var contacts: Int
    public var replacements: Int
    /// Keys of every counter map: `rpcCalls` and `rpcResponses` of every layer, and `dropped`.
    public var counterKeys: Int
    /// The longest key of any counter map, in UTF-8 bytes.
    public var longestCounterKey: Int
}

extension DHTEngine {
    /// The sizes of everything the engine holds (walks every layer: not for a hot path).
    public var stateSizes: EngineStateSizes {
        var records = 0, published = 0, contacts = 0, replacements = 0
        for ctx in layers.values {
            records += ctx.records.count
            published += ctx.published.count
            for b in ctx.routing.buckets {
                contacts += b.contacts.count
                replacements += b.replacements.count
            }
        }
        var keys = counters.dropped.keys.map(\.utf8.count)
        for l in counters.layers.values {
            keys += l.rpcCalls.keys.map(\.utf8.count)
            keys += l.rpcResponses.keys.map(\.utf8.count)
        }
        return EngineStateSizes(
            records: records, published: published, pendingCalls: calls.count, lookups: lookups.count,
            operations: operations.count, reassemblySets: reassembler.pendingSets, reassemblyBytes: reassembler.bufferedBytes,
            rateLimitedSources: rateLimiter.status.trackedSources, republishQueue: pendingRepublishes,
            contacts: contacts, replacements: replacements, counterKeys: keys.count, longestCounterKey: keys.max() ?? 0)
    }
}
