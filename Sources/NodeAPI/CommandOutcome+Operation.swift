import BitDustRecords
import DHTCore
import DHTWire

/// How an engine `OperationResult` reads, as text and as JSON fields, built together so that the
/// two cannot drift. Pure; thread-safe.
extension CommandOutcome {
    /// The outcome of `result`, after the command's `context` fields (`NodeCommand.contextFields`).
    public init(_ result: OperationResult, context: JSONFields = JSONFields()) {
        self.init(succeeded: false, summary: "", fields: context)
        switch result {
        case .pong(let r):
            succeeded = true
            summary = "pong from \(Format.id(r.id)) at \(r.endpoint) in \(Format.millis(r.rtt))"
            fields["id"] = .string(r.id.hex)
            fields["address"] = .string(r.endpoint.description)
            fields["rtt_ms"] = .double(r.rtt.milliseconds)
        case .closest(let s):
            succeeded = !s.closest.isEmpty
            summary = "\(s.closest.count) closest found \(Self.cost(s)); common prefix \(s.closestCommonPrefix ?? 0) bits"
            detail = s.closest.map { "\($0.id.hex)  \($0.endpoint)" }
            addCost(s)
            fields["nodes"] = .array(s.closest.map { Self.node($0.id, $0.endpoint).object })
        case .value(let v):
            addCost(v.lookup)
            fields["found"] = .bool(v.found)
            if let first = v.values.first {
                succeeded = true
                summary = "found \(Self.cost(v.lookup))"
                detail =
                    RecordRendering.lines(for: first.value)
                    + ["(\(v.values.count) cop\(v.values.count == 1 ? "y" : "ies"), from \(RecordReadReport.label(first.from.id, first.from.endpoint)))"]
                fields["value"] = RecordRendering.jsonValue(first.value)
                fields["expire_seconds"] = .int(first.expireSeconds)
                fields["from_id"] = .string(first.from.id.hex)
                fields["from"] = .string(first.from.endpoint.description)
            } else {
                summary = "not found \(Self.cost(v.lookup)); \(v.lookup.responders) nodes answered"
            }
        case .stored(let s):
            self = Self(stored: s, context: context)
        case .joined(let s):
            succeeded = true
            summary = "joined: \(s.responders) responders \(Self.cost(s))"
            addCost(s)
        case .failed(let f):
            summary = "\(f.code.rawValue): \(f.message)"
            fields["failure"] = .string(f.code.rawValue)
        case .answer(let r, let value):
            succeeded = true
            summary = "answer from \(Format.id(r.id)) at \(r.endpoint) in \(Format.millis(r.rtt))"
            detail = RecordRendering.lines(for: value)
            fields["id"] = .string(r.id.hex)
            fields["address"] = .string(r.endpoint.description)
            fields["rtt_ms"] = .double(r.rtt.milliseconds)
            fields["value"] = RecordRendering.jsonValue(value)
        }
    }

    /// `stored on 3/4 nodes + here after …` with one detail line per node: OK, refused with the
    /// reason, or timeout. Succeeded when a node took it (or, alone in the network, this one).
    init(stored s: StoreSummary, context: JSONFields) {
        self.init(
            succeeded: s.okCount > 0 || (s.storedLocally && s.replies.isEmpty),
            summary: "stored on \(s.okCount)/\(s.replies.count) nodes\(s.storedLocally ? " + here" : "") \(Self.cost(s.lookup))",
            fields: context)
        var nodes: [JSONValue] = []
        for reply in s.replies {
            let answer: StoreAnswer
            switch reply.outcome {
            case .ok: answer = .ok
            case .refused(let type, let message): answer = .refused(rule: nil, reason: type.isEmpty ? message : "\(type): \(message)")
            case .timeout: answer = .timeout
            case .unexpected(let text): answer = .unexpected(text)
            }
            detail.append(answer.line(reply.peer.id, reply.peer.endpoint))
            nodes.append(answer.json(reply.peer.id, reply.peer.endpoint))
        }
        if s.storedLocally { detail.append("OK       here (this node is among the closest)") }
        if s.okCount == 0, let refusal = s.replies.lazy.compactMap(\.refusalMessage).first {
            summary += "; refused: \(refusal)"
        }
        fields["stored"] = .int(s.okCount)
        fields["stored_here"] = .bool(s.storedLocally)
        addCost(s.lookup)
        fields["nodes"] = .array(nodes)
    }

    /// `after 3 rounds, 11 RPCs, 4.2 ms`: what a lookup cost.
    public static func cost(_ s: LookupSummary) -> String {
        "after \(s.rounds) round\(s.rounds == 1 ? "" : "s"), \(s.rpcsSent) RPC\(s.rpcsSent == 1 ? "" : "s"), "
            + Format.millis(s.elapsed)
    }

    /// The same cost as fields: `rounds`, `rpcs`, `responders`, `timeouts`, `elapsed_ms`.
    public mutating func addCost(_ s: LookupSummary) {
        fields["rounds"] = .int(s.rounds)
        fields["rpcs"] = .int(s.rpcsSent)
        fields["responders"] = .int(s.responders)
        fields["timeouts"] = .int(s.timeouts)
        fields["elapsed_ms"] = .double(s.elapsed.milliseconds)
    }

    /// One node as `{"id": …, "address": …}`.
    static func node(_ id: NodeID, _ endpoint: Endpoint) -> JSONFields {
        JSONFields([("id", .string(id.hex)), ("address", .string(endpoint.description))])
    }
}

/// One node's answer to a store, as a detail line and as JSON; shared by plain and record
/// stores. A value type.
enum StoreAnswer {
    case ok
    /// `rule`: the BitDust rule the refusal text names (record stores only).
    case refused(rule: String?, reason: String)
    case timeout
    case unexpected(String)

    /// `OK       3f2a9c1e 127.0.0.1:14441`, `refused  …: reason`, `timeout  …`.
    func line(_ id: NodeID, _ endpoint: Endpoint) -> String {
        let who = RecordReadReport.label(id, endpoint)
        switch self {
        case .ok: return "OK       \(who)"
        case .refused(let rule?, let reason): return "refused  \(who): \(rule) — \(reason)"
        case .refused(nil, let reason): return "refused  \(who): \(reason)"
        case .timeout: return "timeout  \(who)"
        case .unexpected(let text): return "unexpected \(who): \(BitDustJSON.escapedText(text, max: 200))"
        }
    }

    /// `{"id", "address", "result": ok|refused|timeout|unexpected, "rule"?, "reason"?}`.
    func json(_ id: NodeID, _ endpoint: Endpoint) -> JSONValue {
        var f = CommandOutcome.node(id, endpoint)
        switch self {
        case .ok: f["result"] = .string("ok")
        case .refused(let rule, let reason):
            f["result"] = .string("refused")
            if let rule { f["rule"] = .string(rule) }
            f["reason"] = .string(reason)
        case .timeout: f["result"] = .string("timeout")
        case .unexpected(let text):
            f["result"] = .string("unexpected")
            f["reason"] = .string(text)
        }
        return f.object
    }
}

extension StoreReply {
    /// The node's refusal text, when it refused.
    var refusalMessage: String? {
        if case .refused(_, let message) = outcome { return message }
        return nil
    }
}
