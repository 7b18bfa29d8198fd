import BitDustRecords
import DHTCore
import DHTWire

/// One node a crawl met: answered or not, and on which layers it answers a ping. A value type;
/// thread-safe.
public struct CrawledNode: Sendable, Hashable {
    public var id: NodeID
    public var endpoint: Endpoint
    /// Whether it answered a findNode on the crawled layer.
    public var responsive: Bool
    /// Layers (other than the crawled one, among those this node has) on which it answered a
    /// ping, plus the crawled layer when responsive; sorted.
    public var layers: [Int]
    /// Contacts it returned (all probes together, duplicates counted once per probe).
    public var contactsReturned: Int

    public init(id: NodeID, endpoint: Endpoint, responsive: Bool, layers: [Int] = [], contactsReturned: Int = 0) {
        self.id = id
        self.endpoint = endpoint
        self.responsive = responsive
        self.layers = layers
        self.contactsReturned = contactsReturned
    }

    /// `3f2a9c01  127.0.0.1:14443  responsive  layers 0,3`.
    public var line: String {
        "\(id.shortHex(8))  \(endpoint)  \(responsive ? "responsive" : "silent")"
            + (layers.isEmpty ? "" : "  layers " + layers.map(String.init).joined(separator: ","))
    }

    /// `{"id", "address", "responsive", "layers"}`: one JSON line of `crawl --json`.
    public var json: JSONValue {
        var f = JSONFields()
        f["id"] = .string(id.hex)
        f["address"] = .string(endpoint.description)
        f["responsive"] = .bool(responsive)
        f["layers"] = .array(layers.map { .int($0) })
        return f.object
    }
}

/// What a crawl found. A value type; thread-safe.
public struct CrawlReport: Sendable, Hashable {
    public var layer: Int
    /// Every node met, in the order met (at most `ReachLimits.crawlListed`).
    public var nodes: [CrawledNode]
    public var rpcs: Int
    public var elapsed: Duration
    /// The network-size estimate from the crawl's own findNode answers, with its 95% interval.
    public var estimate: NetworkSizeEstimate?
    /// Why it stopped early (`--max-nodes`), nil when the walk ran out of nodes.
    public var stoppedBy: String?

    public init(
        layer: Int, nodes: [CrawledNode] = [], rpcs: Int = 0, elapsed: Duration = .zero, estimate: NetworkSizeEstimate? = nil,
        stoppedBy: String? = nil
    ) {
        self.layer = layer
        self.nodes = nodes
        self.rpcs = rpcs
        self.elapsed = elapsed
        self.estimate = estimate
        self.stoppedBy = stoppedBy
    }

    public var responsive: Int { nodes.filter(\.responsive).count }

    /// Chapman's capture–recapture estimate `(n1+1)(n2+1)/(m+1) - 1` of a population from two
    /// samples of `n1` and `n2` with `m` in both, with its normal 95% interval, never below
    /// `found` (the nodes actually met); nil when the samples share nothing.
    public static func chapman(n1: Int, n2: Int, both m: Int, found: Int) -> NetworkSizeEstimate? {
        guard m > 0, n1 >= m, n2 >= m else { return nil }
        let a = Double(n1 + 1), b = Double(n2 + 1), c = Double(m + 1)
        let nodes = a * b / c - 1
        let variance = a * b * Double(n1 - m) * Double(n2 - m) / (c * c * Double(m + 2))
        let margin = 1.96 * variance.squareRoot()
        let floor = Double(found)
        return NetworkSizeEstimate(
            nodes: max(nodes, floor), low: max(nodes - margin, floor), high: max(nodes + margin, floor), samples: m)
    }

    /// `crawl of layer 0: 25 nodes, 24 responsive, 1 silent; 180 RPCs, 9.1s; estimate 26 (21–33)`.
    public var summary: String {
        var text =
            "crawl of layer \(layer): \(nodes.count) node\(nodes.count == 1 ? "" : "s"), \(responsive) responsive, "
            + "\(nodes.count - responsive) silent; \(rpcs) RPCs, \(Format.latency(elapsed))"
        if let e = estimate {
            text += "; network size estimate \(Int(e.nodes.rounded())) (\(Int(e.low.rounded()))–\(Int(e.high.rounded())))"
        }
        if let why = stoppedBy { text += "; stopped: \(why)" }
        return text
    }
}

extension CommandOutcome {
    /// The crawl's summary, one detail line per node, and the JSON fields (`nodes`, `estimate`).
    /// Succeeded when a node answered.
    public init(crawled r: CrawlReport, context: JSONFields = JSONFields()) {
        self.init(succeeded: r.responsive > 0, summary: r.summary, fields: context)
        detail = r.nodes.map(\.line)
        fields["nodes_found"] = .int(r.nodes.count)
        fields["responsive"] = .int(r.responsive)
        fields["rpcs"] = .int(r.rpcs)
        fields["elapsed_ms"] = .double(r.elapsed.milliseconds)
        if let e = r.estimate {
            fields["estimate"] =
                JSONFields([
                    ("nodes", .double(e.nodes)), ("low", .double(e.low)), ("high", .double(e.high)), ("samples", .int(e.samples))
                ]).object
        } else {
            fields["estimate"] = .null
        }
        fields["stopped_by"] = r.stoppedBy.map(JSONValue.string) ?? .null
        fields["nodes"] = .array(r.nodes.map(\.json))
    }
}

/// A finished crawl as the console's header shows it (`crawl L0: 25 nodes, ~26 (21–33)`), read
/// back from a crawl outcome's JSON fields so an attached console gets the same. A value type.
public struct CrawlGlance: Sendable, Hashable {
    /// A network-size estimate and its interval, rounded.
    public struct Estimate: Sendable, Hashable {
        public var nodes: Int
        public var low: Int
        public var high: Int
    }

    public var layer: Int
    public var nodes: Int
    /// Nil when the crawl could not estimate.
    public var estimate: Estimate?

    /// The glance of `outcome`, or nil when it is not a crawl's final outcome.
    public init?(_ outcome: CommandOutcome) {
        func int(_ v: JSONValue?) -> Int? {
            guard case .number(let s) = v, let d = Double(s), d.isFinite, abs(d) < 1e12 else { return nil }
            return Int(d.rounded())
        }
        let f = outcome.fields
        guard let nodes = int(f["nodes_found"]), f["responsive"] != nil, f["rpcs"] != nil else { return nil }
        self.nodes = nodes
        layer = int(f["layer"]) ?? 0
        if let e = f["estimate"], let n = int(e["nodes"]), let lo = int(e["low"]), let hi = int(e["high"]) {
            estimate = Estimate(nodes: n, low: lo, high: hi)
        }
    }

    /// `crawl L0: 25 nodes, ~26 (21–33)`.
    public var text: String {
        var t = "crawl L\(layer): \(nodes) node\(nodes == 1 ? "" : "s")"
        if let e = estimate { t += ", ~\(e.nodes) (\(e.low)–\(e.high))" }
        return t
    }
}
