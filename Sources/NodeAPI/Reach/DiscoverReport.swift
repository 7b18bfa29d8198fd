import BitDustRecords
import DHTCore
import DHTWire

/// One node that answered `discover`'s `request`: its id, address, and the node data it gave
/// (nil: it answered `0`, no such data, so it offers no service here). A value type; thread-safe.
public struct DiscoveredNode: Sendable, Hashable {
    public var id: NodeID
    public var endpoint: Endpoint
    /// The node data's text, cut to `ReachLimits.answerBytes`; nil when the node has none.
    public var answer: String?
    public var rtt: Duration

    public init(id: NodeID, endpoint: Endpoint, answer: String?, rtt: Duration) {
        self.id = id
        self.endpoint = endpoint
        self.answer = answer
        self.rtt = rtt
    }

    /// Reads a `request(name)` result (spec §8.6: `{name: value, layer: layer}`); the value's
    /// text when it is a string, nil when it is `0` or anything else. Never traps.
    public static func answerText(_ value: BValue, name: String) -> String? {
        guard let dict = value.dict, let text = dict[.string(name)]?.string, !text.isEmpty else { return nil }
        return BoundedText.truncate(text, maxBytes: ReachLimits.answerBytes)
    }

    /// `3f2a9c01  127.0.0.1:14443  idurl=http://x/a.xml  (1.2 ms)`.
    public func line(name: String) -> String {
        "\(id.shortHex(8))  \(endpoint)  \(name)=\(Sanitizer.clean(answer ?? "-"))  (\(Format.millis(rtt)))"
    }

    /// `{"id", "address", "name", "value", "rtt_ms"}`.
    public func json(name: String) -> JSONValue {
        var f = JSONFields()
        f["id"] = .string(id.hex)
        f["address"] = .string(endpoint.description)
        f["name"] = .string(name)
        f["value"] = answer.map(JSONValue.string) ?? .null
        f["rtt_ms"] = .double(rtt.milliseconds)
        return f.object
    }
}

/// What `discover` did, for its outcome. A value type; thread-safe.
public struct DiscoverReport: Sendable, Hashable {
    public var layer: Int
    public var name: String
    public var wanted: Int
    /// Providers (nodes whose answer had data), in the order found.
    public var providers: [DiscoveredNode]
    /// Nodes that answered without data, and nodes that did not answer.
    public var withoutData: Int
    public var silent: Int
    public var lookups: Int
    public var requests: Int
    public var elapsed: Duration
    /// Why it stopped before `wanted` (time budget, lookup budget), nil when it found them all.
    public var stoppedBy: String?

    public init(
        layer: Int, name: String, wanted: Int, providers: [DiscoveredNode] = [], withoutData: Int = 0, silent: Int = 0,
        lookups: Int = 0, requests: Int = 0, elapsed: Duration = .zero, stoppedBy: String? = nil
    ) {
        self.layer = layer
        self.name = name
        self.wanted = wanted
        self.providers = providers
        self.withoutData = withoutData
        self.silent = silent
        self.lookups = lookups
        self.requests = requests
        self.elapsed = elapsed
        self.stoppedBy = stoppedBy
    }
}

extension CommandOutcome {
    /// `3 providers on layer 3 (idurl) after 2 lookups, 9 requests, 1.2 s`, one detail line
    /// per provider; succeeded when at least one was found.
    public init(discovered r: DiscoverReport, context: JSONFields = JSONFields()) {
        var summary =
            "\(r.providers.count) provider\(r.providers.count == 1 ? "" : "s") on layer \(r.layer) (\(r.name)) after "
            + "\(r.lookups) lookup\(r.lookups == 1 ? "" : "s"), \(r.requests) request\(r.requests == 1 ? "" : "s"), "
            + Format.latency(r.elapsed)
        if r.withoutData > 0 { summary += "; \(r.withoutData) without \(r.name)" }
        if r.silent > 0 { summary += "; \(r.silent) silent" }
        if let why = r.stoppedBy { summary += "; stopped: \(why)" }
        self.init(succeeded: !r.providers.isEmpty, summary: summary, fields: context)
        detail = r.providers.map { $0.line(name: r.name) }
        fields["providers"] = .array(r.providers.map { $0.json(name: r.name) })
        fields["without_data"] = .int(r.withoutData)
        fields["silent"] = .int(r.silent)
        fields["lookups"] = .int(r.lookups)
        fields["requests"] = .int(r.requests)
        fields["elapsed_ms"] = .double(r.elapsed.milliseconds)
        fields["stopped_by"] = r.stoppedBy.map(JSONValue.string) ?? .null
    }
}
