import DHTWire

extension DHTEngine {
    /// The operator's `forget`: drops contact `id` from `layer`'s routing table (a replacement
    /// takes its slot, reported as `contactAdded`) or from the bucket's replacement cache, and
    /// reports a live contact as `contactEvicted` with reason `removed`. Nothing stops the peer
    /// from coming back: it is added again like any new contact when it next talks to us.
    /// Returns nil when `layer` does not know `id`; else the effects to run (events, and the
    /// replication a promoted replacement starts).
    public func forgetContact(_ id: NodeID, layer: Int, now: Timestamp) -> [Effect]? {
        eventTime = now
        guard let ctx = layers[layer], ctx.routing.contact(id) != nil || ctx.routing.replacement(id) != nil else { return nil }
        applyRouting(ctx.routing.remove(id: id), layer: layer, now: now)
        return takeEffects()
    }
}
