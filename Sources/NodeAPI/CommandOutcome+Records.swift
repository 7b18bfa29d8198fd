import BitDustRecords
import DHTCore

/// How the record commands (`get --record`, `set --record`) read, as text and as JSON fields. The
/// logic lives in BitDustRecords (`RecordReadReport`, `RecordWriteOutcome`); these only shape it
/// into a `CommandOutcome`. Pure; thread-safe.
extension CommandOutcome {
    /// A finished record read: succeeded when a valid record was found (what BitDust's reader
    /// would return). Detail: the decoded record, replicas and disagreements; `rawDetail` the same
    /// with the raw value.
    public init(recordRead report: RecordReadReport, context: JSONFields = JSONFields()) {
        var summary = report.summary + (report.lookup.map { " " + Self.cost($0) } ?? "")
        if report.found, !report.readable, let view = report.view {
            summary += "; the record is invalid: \(report.comparison.bitDustReaderError ?? view.validityText)"
        }
        self.init(
            succeeded: report.readable, summary: summary, detail: report.lines(raw: false),
            rawDetail: report.found ? report.lines(raw: true) : nil, fields: context)
        fields["found"] = .bool(report.found)
        fields["readable"] = .bool(report.readable)
        if let view = report.view, let winner = report.comparison.winner {
            fields["kind"] = .string(view.kind)
            fields["owner"] = .text(view.owner)
            fields["revision"] = view.revision.map(JSONValue.int) ?? .null
            fields["timestamp"] = view.timestamp.map(JSONValue.int) ?? .null
            fields["age_seconds"] = view.age.map(JSONValue.int) ?? .null
            fields["valid"] = .bool(view.isValid)
            fields["validity"] = .string(view.validityText)
            fields["violations"] = .strings(view.violations.map(\.description))
            fields["notes"] = .strings(view.notes)
            fields["fields"] = .array(view.fields.map { .object([("label", .string($0.label)), ("value", .string($0.value))]) })
            fields["record"] = view.json.flatMap { JSONValue(parsing: $0.compactText) } ?? .null
            fields["value"] = .string(winner.value)
        }
        fields["replicas"] = .array(
            report.replicas.map { r in
                var o = Self.node(r.nodeID, r.endpoint)
                o["revision"] = r.revision.map(JSONValue.int) ?? .null
                o["kept"] = .bool(r.isWinner)
                o["matches_kept"] = .bool(r.matchesWinner)
                o["valid"] = .bool(r.isValid)
                return o.object
            })
        fields["agree"] = .bool(report.comparison.agree)
        fields["disagreements"] = .strings(report.comparison.disagreements.map(\.description))
        fields["bitdust_reader_error"] = .text(report.comparison.bitDustReaderError)
        if let lookup = report.lookup { addCost(lookup) }
    }

    /// A finished record store: succeeded when at least one node stored it and none refused.
    /// Detail: the revision read, the value sent, one line per node naming each refusal's rule.
    public init(recordWrite outcome: RecordWriteOutcome, context: JSONFields = JSONFields()) {
        self.init(
            succeeded: outcome.succeeded, summary: outcome.summary + (outcome.lookup.map { " " + Self.cost($0) } ?? ""),
            detail: outcome.lines(), fields: context)
        fields["sent"] = .bool(true)
        fields["network_revision"] = outcome.networkRevision.map(JSONValue.int) ?? .null
        fields["revision"] = outcome.built.revision.map(JSONValue.int) ?? .null
        fields["value"] = .string(outcome.built.value)
        fields["record"] = JSONValue(parsing: outcome.built.json.compactText) ?? .null
        fields["stored"] = .int(outcome.okCount)
        fields["refused"] = .int(outcome.refusedCount)
        var nodes: [JSONValue] = []
        for n in outcome.nodes {
            let answer: StoreAnswer
            switch n.result {
            case .ok: answer = .ok
            case .refused(let rule, let message): answer = .refused(rule: rule, reason: message)
            case .timeout: answer = .timeout
            case .unexpected(let text): answer = .unexpected(text)
            }
            detail.append(answer.line(n.nodeID, n.endpoint))
            nodes.append(answer.json(n.nodeID, n.endpoint))
        }
        fields["nodes"] = .array(nodes)
        if let lookup = outcome.lookup { addCost(lookup) }
    }

    /// A record write refused before anything was stored (`RecordWriteFlow.init` threw, or
    /// `afterRead` returned `.refused`): the failed rule, nothing sent.
    public init(recordRefused error: RecordBuilder.BuildError, networkRevision: Int64? = nil, context: JSONFields = JSONFields()) {
        var detail: [String] = []
        if let networkRevision { detail.append("the network holds revision \(networkRevision)") }
        self.init(succeeded: false, summary: error.description, detail: detail, fields: context)
        fields["sent"] = .bool(false)
        fields["network_revision"] = networkRevision.map(JSONValue.int) ?? .null
    }

    /// The outcome of a record command whose lookup or store failed (timeout, no contacts).
    public init(recordFailure failure: OperationFailure, context: JSONFields = JSONFields()) {
        self.init(.failed(failure), context: context)
    }
}
