/// The human form of `dhtop status`. Pure; thread-safe.
extension StatusReport {
    /// A few aligned lines: identity, traffic, each layer, drops and limits.
    public var text: String {
        var lines: [String] = []
        lines.append("dhtop \(version) (pid \(pid)) on UDP \(address), up \(Self.duration(uptimeSeconds))")
        lines.append("data directory   \(dataDir)")
        lines.append("traffic          \(dht.bytesReceived) bytes in, \(dht.bytesSent) bytes out; \(datagramsReceived)/\(datagramsSent) datagrams")
        for l in dht.layers {
            let calls = l.rpcCalls.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            let answers = l.rpcResponses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("layer \(l.layerID)          \(l.state), id \(l.nodeID), \(l.contacts) contacts in \(l.buckets) buckets, \(l.dataStoreItems) records")
            if let join = l.joinText { lines.append("                 join: \(join)") }
            if let size = l.networkSize { lines.append("                 network size \(size.text), from \(size.samples) lookups") }
            lines.append("                 packets \(l.packetsReceived) in / \(l.packetsSent) out; calls served: \(calls.isEmpty ? "none" : calls)")
            lines.append("                 answers to our calls: \(answers.isEmpty ? "none" : answers)")
        }
        lines.append("contacts         \(contacts.good) good, \(contacts.questionable) questionable, \(contacts.bad) bad")
        lines.append("in flight        \(pendingRPCs) RPCs, \(runningLookups) lookups; \(unsolicitedRequests) unsolicited requests")
        let drops = dropped.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append("dropped          \(drops.isEmpty ? "none" : drops)")
        if let c = rateLimit.configuration {
            var limit =
                "rate limit       \(Int(c.perSecond))/s per address, burst \(Int(c.burst)); \(rateLimited) dropped; \(rateLimit.trackedSources) addresses tracked"
            if !c.exemptLoopback { limit += " (loopback limited too)" }
            lines.append(limit)
            for s in rateLimit.limitedSources.prefix(5) { lines.append("                 \(s.address): \(s.dropped) dropped") }
        } else {
            lines.append("rate limit       off")
        }
        if let s = storage { lines.append("storage          \(s.submits) changes in \(s.commits) commits") }
        if let q = storageQuota {
            var line = "storage quota    \(q.heldBytes) of \(q.totalQuotaBytes) bytes held (\(q.layerQuotaBytes) per layer); \(q.failures) storage failures"
            if let e = q.lastError { line += " (last: \(e))" }
            lines.append(line)
        }
        for (i, report) in (rpcLatency ?? []).enumerated() {
            lines.append((i == 0 ? "rpc latency      " : "                 ") + report.line)
        }
        lines.append("control clients  \(controlClients)")
        return lines.joined(separator: "\n")
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds)
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(s % 60)s" }
        if s < 86_400 { return "\(s / 3600)h\(s % 3600 / 60)m" }
        return "\(s / 86_400)d\(s % 86_400 / 3600)h"
    }
}
