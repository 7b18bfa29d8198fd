import DHTCore
import DHTWire

/// What a record store did on each node, with every remote refusal named by the rule it broke
/// (docs/protocol.md §13.2). Success follows BitDust's `set_valid_data`: at least one node answered and every
/// answer that is not a timeout is `OK`. A value type; pure; thread-safe.
public struct RecordWriteOutcome: Hashable, Sendable {
    /// One node's answer.
    public struct NodeResult: Hashable, Sendable {
        public enum Result: Hashable, Sendable {
            case ok
            /// `rule` names the broken rule; `message` is the node's own text.
            case refused(rule: String, message: String)
            case timeout
            case unexpected(String)
        }
        public let nodeID: NodeID
        public let endpoint: Endpoint
        public let result: Result
        public var label: String { RecordReadReport.label(nodeID, endpoint) }
    }

    public let built: RecordBuilder.Built
    /// The highest revision the read found (nil: nothing held, or no read).
    public let networkRevision: Int64?
    public let nodes: [NodeResult]
    public let lookup: LookupSummary?
    /// Set when the store operation itself failed (no nodes, timeout).
    public let failure: String?

    public var okCount: Int { nodes.filter { $0.result == .ok }.count }
    public var refusedCount: Int {
        nodes.filter {
            if case .refused = $0.result { return true }
            return false
        }.count
    }
    public var succeeded: Bool { failure == nil && okCount > 0 && refusedCount == 0 }

    public init(built: RecordBuilder.Built, networkRevision: Int64?, summary: StoreSummary) {
        self.built = built
        self.networkRevision = networkRevision
        lookup = summary.lookup
        failure = summary.replies.isEmpty ? "no node found to store on" : nil
        nodes = summary.replies.map { r in
            let result: NodeResult.Result
            switch r.outcome {
            case .ok: result = .ok
            case .refused(let type, let message):
                result = .refused(rule: RecordWriteOutcome.rule(for: message), message: type.isEmpty ? message : "\(type): \(message)")
            case .timeout: result = .timeout
            case .unexpected(let s): result = .unexpected(s)
            }
            return NodeResult(nodeID: r.peer.id, endpoint: r.peer.endpoint, result: result)
        }
    }

    public init(built: RecordBuilder.Built, networkRevision: Int64?, failure: String) {
        self.built = built
        self.networkRevision = networkRevision
        self.failure = failure
        nodes = []
        lookup = nil
    }

    /// `stored suppliers revision 3 on 4 of 4 nodes` / `refused by 2 of 4 nodes: revision …`.
    public var summary: String {
        let what = built.key.type.rawValue + (built.revision.map { " revision \($0)" } ?? "")
        if let failure { return "\(what) not stored: \(failure)" }
        if refusedCount > 0,
            case .refused(let rule, _)? = nodes.first(where: {
                if case .refused = $0.result { return true }
                return false
            })?.result
        {
            return "\(what) refused by \(refusedCount) of \(nodes.count) nodes (\(rule)); stored on \(okCount)"
        }
        if okCount == 0 { return "\(what) not stored: no node accepted it (\(nodes.count) asked)" }
        return "stored \(what) on \(okCount) of \(nodes.count) nodes"
    }

    /// Display lines: the key, where the revision came from and the value sent (each node's
    /// answer is rendered with the outcome, by NodeAPI).
    public func lines() -> [String] {
        var out = ["key \(built.key.string) → \(built.key.hash.hex)"]
        out.append(
            networkRevision.map { "network held revision \($0); wrote revision \(built.revision.map(String.init) ?? "none")" }
                ?? "no revision read from the network; wrote revision \(built.revision.map(String.init) ?? "none")")
        out.append("value: " + BitDustJSON.escapedText(built.value, max: 2000))
        return out
    }

    /// Names the receiver-side rule (docs/protocol.md §13.2) a reference node's refusal text reports.
    public static func rule(for message: String) -> String {
        if message.contains("must increment revision") { return "revision lower than the stored one" }
        if message.contains("type do not match") { return "record type differs from the stored one" }
        if message.contains("\"type\" field") { return "value has no \"type\" field" }
        if message.contains("must have a revision") { return "revision missing while the stored value has one" }
        if message.contains("same revision") { return "same revision with different content" }
        if message.contains("not a json value") || message.contains("Expecting") { return "value is not JSON" }
        return "refused by the node's store check"
    }
}
