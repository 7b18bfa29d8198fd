import DHTWire

/// Keeping each layer's own neighbourhood true (from `runMaintenance`, on the engine's queue;
/// reads no clock but `now`).
///
/// A departed node stays in its neighbours' tables until one of their RPCs to it fails twice
/// (`maxFailures`), and nothing makes a node call its nearest neighbours often. Those stale
/// contacts are what a findNode for a target near them answers (k = 4), crowding a live node
/// out of every answer: a lookup then ends with the true k closest it could learn of, one short
/// of the truth (`dhtop bench --simulate`, DHTOP_SIM_MISSES). So at each refresh check a node
/// pings those of its 2k closest contacts it has not heard from since the previous check: an
/// alive one answers (and is refreshed; a ping also refreshes us in its table, so a pair of
/// neighbours costs one ping per period), a departed one fails twice (`maxFailures`, two
/// checks) and is evicted 4–6 minutes after leaving. A live neighbour whose ping was lost keeps
/// its place: its failure count is reset by its next answer.
extension DHTEngine {
    /// Pings each of the 2k contacts closest to our own id not heard from within
    /// `refreshCheckInterval`, on every joined layer.
    func checkNeighbours(now: Timestamp) {
        guard configuration.checksNeighbours else { return }
        for layer in layerIDs {
            guard let ctx = layers[layer], ctx.state == .joined || ctx.state == .attached else { continue }
            let quiet = ctx.routing.closest(to: ctx.nodeID, count: 2 * configuration.k)
                .filter { now - $0.lastSeen >= configuration.refreshCheckInterval }
            for c in quiet {
                call("ping", args: [], to: c.endpoint, peerID: c.id, layer: layer, purpose: .background, now: now)
            }
        }
    }
}
