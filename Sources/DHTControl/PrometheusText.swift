import DHTCore

/// The node's counters in the Prometheus text exposition format (version 0.0.4), built from a
/// `StatusReport`. Pure; thread-safe.
public enum PrometheusText {
    public static func render(_ s: StatusReport) -> String {
        var out = Writer()
        out.metric("dhtop_uptime_seconds", "gauge", "Seconds since the node started.", [([], fmt(s.uptimeSeconds))])
        out.metric("dhtop_bytes_received_total", "counter", "UDP payload bytes received.", [([], "\(s.dht.bytesReceived)")])
        out.metric("dhtop_bytes_sent_total", "counter", "UDP payload bytes sent.", [([], "\(s.dht.bytesSent)")])
        out.metric("dhtop_datagrams_received_total", "counter", "Datagrams received.", [([], "\(s.datagramsReceived)")])
        out.metric("dhtop_datagrams_sent_total", "counter", "Datagrams sent.", [([], "\(s.datagramsSent)")])
        let layers = s.dht.layers
        out.metric(
            "dhtop_packets_received_total", "counter", "Messages received, by layer.",
            layers.map { ([("layer", "\($0.layerID)")], "\($0.packetsReceived)") })
        out.metric(
            "dhtop_packets_sent_total", "counter", "Messages sent, by layer.",
            layers.map { ([("layer", "\($0.layerID)")], "\($0.packetsSent)") })
        out.metric(
            "dhtop_rpc_calls_total", "counter", "Calls served, by layer and method.",
            layers.flatMap { l in l.rpcCalls.sorted { $0.key < $1.key }.map { ([("layer", "\(l.layerID)"), ("method", $0.key)], "\($0.value)") } })
        out.metric(
            "dhtop_rpc_responses_total", "counter", "Answers to our calls by layer and method; method=\"timeout\" counts timeouts.",
            layers.flatMap { l in l.rpcResponses.sorted { $0.key < $1.key }.map { ([("layer", "\(l.layerID)"), ("method", $0.key)], "\($0.value)") } })
        out.metric(
            "dhtop_contacts", "gauge", "Contacts in the routing table, by layer.",
            layers.map { ([("layer", "\($0.layerID)")], "\($0.contacts)") })
        out.metric(
            "dhtop_buckets", "gauge", "Buckets in the routing table, by layer.",
            layers.map { ([("layer", "\($0.layerID)")], "\($0.buckets)") })
        out.metric(
            "dhtop_records", "gauge", "Records held, by layer.",
            layers.map { ([("layer", "\($0.layerID)")], "\($0.dataStoreItems)") })
        out.metric(
            "dhtop_contacts_by_health", "gauge", "Contacts of every layer by health.",
            [
                ([("health", "good")], "\(s.contacts.good)"), ([("health", "questionable")], "\(s.contacts.questionable)"),
                ([("health", "bad")], "\(s.contacts.bad)")
            ])
        out.metric(
            "dhtop_dropped_total", "counter", "Datagrams dropped, by reason.",
            s.dropped.sorted { $0.key < $1.key }.map { ([("reason", $0.key)], "\($0.value)") })
        out.metric(
            "dhtop_rate_limited_sources", "gauge", "Source addresses tracked by the rate limiter.",
            [([], "\(s.rateLimit.trackedSources)")])
        out.metric("dhtop_unsolicited_requests_total", "counter", "Requests not answering any call of ours.", [([], "\(s.unsolicitedRequests)")])
        out.metric("dhtop_pending_rpcs", "gauge", "Our RPCs awaiting an answer.", [([], "\(s.pendingRPCs)")])
        out.metric("dhtop_running_lookups", "gauge", "Iterative lookups running.", [([], "\(s.runningLookups)")])
        if let st = s.storage {
            out.metric("dhtop_storage_commits_total", "counter", "Storage transactions committed.", [([], "\(st.commits)")])
            out.metric("dhtop_storage_submits_total", "counter", "Storage changes submitted.", [([], "\(st.submits)")])
        }
        if let q = s.storageQuota {
            out.metric("dhtop_storage_held_bytes", "gauge", "Bytes held against the storage quota.", [([], "\(q.heldBytes)")])
            out.metric("dhtop_storage_failures_total", "counter", "Storage writes that failed.", [([], "\(q.failures)")])
        }
        out.metric("dhtop_control_clients", "gauge", "Clients on the control socket.", [([], "\(s.controlClients)")])
        out.histogram(
            "dhtop_rpc_latency_seconds", "Round-trip time of our answered calls, by method.", s.rpcLatency ?? [])
        return out.text
    }

    private static func fmt(_ v: Double) -> String { String((v * 1000).rounded() / 1000) }

    /// Seconds as Swift prints a Double (`0.0001`, `2.5`), which Prometheus parses.
    static func fmtSeconds(_ v: Double) -> String { "\(v)" }

    /// Escapes a label value: backslash, quote and newline.
    static func escape(_ v: String) -> String {
        v.replacingScalar("\\", with: "\\\\").replacingScalar("\"", with: "\\\"").replacingScalar("\n", with: "\\n")
    }

    private struct Writer {
        var text = ""

        /// One histogram family: `_bucket{method,le}` (cumulative, seconds), `_sum`, `_count`.
        mutating func histogram(_ name: String, _ help: String, _ reports: [LatencyReport]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
            for r in reports {
                let method = "method=\"\(PrometheusText.escape(r.method))\""
                for b in r.buckets {
                    let le = b.le.map { PrometheusText.fmtSeconds($0 / 1000) } ?? "+Inf"
                    text += "\(name)_bucket{\(method),le=\"\(le)\"} \(b.count)\n"
                }
                text += "\(name)_sum{\(method)} \(PrometheusText.fmtSeconds(r.sumMs / 1000))\n"
                text += "\(name)_count{\(method)} \(r.count)\n"
            }
        }

        mutating func metric(_ name: String, _ type: String, _ help: String, _ samples: [([(String, String)], String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (labels, value) in samples {
                let l = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(PrometheusText.escape($0.1))\"" }.joined(separator: ",") + "}"
                text += "\(name)\(l) \(value)\n"
            }
        }
    }
}
