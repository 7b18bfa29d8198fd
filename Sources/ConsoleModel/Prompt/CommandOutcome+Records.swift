import BitDustRecords
import DHTCore

/// How the record commands (`get --record`, `set --record`) read at the prompt and in the record
/// pane. The logic lives in BitDustRecords (`RecordReadReport`, `RecordWriteOutcome`), shared
/// with the CLI; these only shape it into a `CommandOutcome`. Pure; thread-safe.
extension CommandOutcome {
    /// A finished record read: succeeded when a valid record was found (what BitDust's reader
    /// would return). Detail: the decoded record, replicas and disagreements; `rawDetail` the same
    /// with the raw value.
    public init(recordRead report: RecordReadReport) {
        let cost = report.lookup.map { " " + Self.cost($0) } ?? ""
        self.init(succeeded: report.readable, summary: report.summary + cost,
                  detail: report.lines(raw: false), rawDetail: report.found ? report.lines(raw: true) : nil)
    }

    /// A finished record store: succeeded when at least one node stored it and none refused.
    /// Detail: the revision read, the value sent, one line per node naming each refusal's rule.
    public init(recordWrite outcome: RecordWriteOutcome) {
        let cost = outcome.lookup.map { " " + Self.cost($0) } ?? ""
        self.init(succeeded: outcome.succeeded, summary: outcome.summary + cost, detail: outcome.lines())
    }

    /// A record write refused before anything was stored (`RecordWriteFlow.init` threw, or
    /// `afterRead` returned `.refused`): the failed rule, nothing sent.
    public init(recordRefused error: RecordBuilder.BuildError, networkRevision: Int64? = nil) {
        var detail: [String] = []
        if let networkRevision { detail.append("the network holds revision \(networkRevision)") }
        self.init(succeeded: false, summary: error.description, detail: detail)
    }

    /// The outcome of a record command whose lookup or store failed (timeout, no contacts).
    public init(recordFailure failure: OperationFailure) {
        self.init(succeeded: false, summary: "\(failure.code.rawValue): \(failure.message)")
    }
}
