import DHTCore

/// What a simulated run measured, as text lines, one JSON object, or a table row. A value type.
public struct SimulationReport: Sendable, Hashable {
    /// A number or text of the report, in order.
    public enum Value: Sendable, Hashable {
        case int(Int)
        case number(Double, digits: Int)
        case text(String)

        public var json: String {
            switch self {
            case .int(let i): return "\(i)"
            case .number(let x, let digits): return x.isFinite ? Format.fixed(x, digits) : "null"
            case .text(let s): return "\"" + s + "\""
            }
        }

        public var plain: String {
            switch self {
            case .int(let i): return "\(i)"
            case .number(let x, let digits): return Format.fixed(x, digits)
            case .text(let s): return s
            }
        }
    }

    /// The fields, in the order they are printed (names as in the JSON object).
    public var fields: [(name: String, value: Value)]

    public static func == (a: Self, b: Self) -> Bool {
        a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    public func hash(into hasher: inout Hasher) {
        for f in fields {
            hasher.combine(f.name)
            hasher.combine(f.value)
        }
    }

    public subscript(_ name: String) -> Value? { fields.first { $0.name == name }?.value }

    /// A field as a number (ints and numbers), if present.
    public func number(_ name: String) -> Double? {
        switch self[name] {
        case .int(let i): return Double(i)
        case .number(let x, _): return x
        default: return nil
        }
    }

    /// A copy with `name` set (appended when new).
    public func setting(_ name: String, _ value: Value) -> SimulationReport {
        var r = self
        if let i = r.fields.firstIndex(where: { $0.name == name }) { r.fields[i].value = value } else { r.fields.append((name, value)) }
        return r
    }

    /// One JSON object on one line; the strings are plain ASCII names chosen here.
    public var json: String {
        "{" + fields.map { "\"\($0.name)\": \($0.value.json)" }.joined(separator: ", ") + "}"
    }

    /// One `name: value` line per field.
    public var lines: [String] {
        let width = fields.map(\.name.count).max() ?? 0
        return fields.map { $0.name + String(repeating: " ", count: width - $0.name.count) + "  " + $0.value.plain }
    }

    /// The columns of `tableRow`, as a Markdown table header.
    public static let tableColumns = [
        "termination", "nodes", "lookups", "lookup_exact_fraction", "median_lookup_ms", "p99_lookup_ms", "median_rounds",
        "messages_per_lookup", "median_get_ms", "median_get_excess_rtts", "keys_readable_fraction", "stored_copies_median",
        "size_estimate_median", "alive_at_end", "wall_seconds", "cpu_seconds"
    ]

    public static var tableHeader: [String] {
        ["| " + tableColumns.joined(separator: " | ") + " |", "|" + tableColumns.map { _ in "---|" }.joined()]
    }

    /// This report as one Markdown table row.
    public var tableRow: String {
        "| " + Self.tableColumns.map { self[$0]?.plain ?? "-" }.joined(separator: " | ") + " |"
    }
}

extension Simulation {
    /// The report of the run so far (`wall_seconds` is the host's to fill in).
    func report() -> SimulationReport {
        let m = merged
        let ms = { (ns: Int64?) -> Double in ns.map { Double($0) / 1e6 } ?? .nan }
        let finds = m.finds
        let gets = m.gets
        let alive = aliveCount
        let estimates = sizeEstimates().map(\.nodes)
        let within = estimates.filter { abs($0 - Double(alive)) <= 0.25 * Double(alive) }.count
        let excess = gets.filter(\.found).compactMap { g in g.ideal.map { Double(g.elapsed - $0) / configuration.medianRTT.nanosecondsDouble } }
        let ideal = gets.compactMap(\.ideal)
        let rtts = rttSample()
        var f: [(String, SimulationReport.Value)] = [
            ("termination", .text(configuration.lookupTermination == nil ? "kademlia" : "entangled")),
            ("nodes", .int(configuration.nodes)),
            ("hours", .number(configuration.duration.seconds / 3600, digits: 2)),
            ("loss", .number(configuration.loss, digits: 3)),
            ("churn", .number(configuration.churn, digits: 3)),
            ("seed", .int(Int(truncatingIfNeeded: configuration.seed))),
            ("lookups", .int(finds.count)),
            ("lookup_exact_fraction", .number(Stats.fraction(finds.filter(\.exact).count, of: finds.count), digits: 4)),
            ("median_lookup_ms", .number(ms(Stats.median(finds.map(\.elapsed))), digits: 1)),
            ("p99_lookup_ms", .number(ms(Stats.quantile(finds.map(\.elapsed), 0.99)), digits: 1)),
            ("median_rounds", .int(Stats.median(finds.map(\.rounds)) ?? 0)),
            ("messages_per_lookup", .number(Double(finds.reduce(0) { $0 + $1.messages }) / Double(max(1, finds.count)), digits: 1)),
            ("gets", .int(gets.count)),
            ("get_found_fraction", .number(Stats.fraction(gets.filter(\.found).count, of: gets.count), digits: 4)),
            ("median_get_ms", .number(ms(Stats.median(gets.filter(\.found).map(\.elapsed))), digits: 1)),
            ("median_ideal_get_ms", .number(ms(Stats.median(ideal)), digits: 1)),
            ("median_get_excess_rtts", .number(Stats.median(excess) ?? .nan, digits: 2)),
            ("keys_checked", .int(m.keysChecked)),
            ("keys_readable_fraction", .number(Stats.fraction(m.finalGets.filter(\.found).count, of: m.keysChecked), digits: 4)),
            ("stored_copies_median", .int(Stats.median(m.copies) ?? 0)),
            ("alive_at_end", .int(alive)),
            ("size_estimate_median", .number(Stats.median(estimates) ?? .nan, digits: 0)),
            ("size_estimate_within_25pct_fraction", .number(Stats.fraction(within, of: estimates.count), digits: 4)),
            ("rtt_median_ms", .number(ms(Stats.median(rtts)), digits: 1)),
            ("rtt_p99_ms", .number(ms(Stats.quantile(rtts, 0.99)), digits: 1)),
            ("datagrams_sent", .int(m.datagramsSent)),
            ("datagrams_lost_fraction", .number(Stats.fraction(m.datagramsLost, of: m.datagramsSent), digits: 4)),
            ("churned_nodes", .int(m.churners)),
            ("departures", .int(m.departures)),
            ("never_returned", .int(m.neverReturned)),
            ("join_failures", .int(m.joinFailures)),
            ("skipped_operations", .int(m.skipped))
        ]
        f.append(("wall_seconds", .number(0, digits: 1)))
        return SimulationReport(fields: f.map { (name: $0.0, value: $0.1) })
    }

    /// RTTs of up to 4,096 random pairs of the model (a fixed sample: does not use the run's random).
    func rttSample() -> [Int64] {
        let n = nodes.count
        return (0..<4096).map { p in
            let h = Hash.mix(configuration.seed ^ 0x7274_7473, UInt64(p))
            let a = Int(h % UInt64(n))
            let b = (a + 1 + Int((h >> 32) % UInt64(n - 1))) % n
            return latency.rtt(a, b)
        }
    }
}

extension Duration {
    var nanosecondsDouble: Double { Double(nanoseconds) }
}
