import DHTCore
import DHTWire

/// What `get --record TYPE PARTS…` found: every copy a collect-all findValue met, the value
/// BitDust's reader would keep (highest JSON revision, `ReplicaComparison`), that value decoded
/// (`RecordView`), which node held which revision, and where the replicas disagree. Shared by the
/// CLI and the console so both say the same thing.
/// A value type; pure; thread-safe; never reads the clock (`now`, unix seconds, is passed in).
public struct RecordReadReport: Hashable, Sendable {
    /// One node's copy, for display.
    public struct Replica: Hashable, Sendable {
        public let nodeID: NodeID
        public let endpoint: Endpoint
        /// The copy's JSON `revision`, nil when it has none or is not JSON.
        public let revision: Int64?
        /// The copy BitDust's reader keeps.
        public let isWinner: Bool
        /// Same content as the winner (compared after parsing, so formatting does not count).
        public let matchesWinner: Bool
        /// The copy obeys the type's rules.
        public let isValid: Bool
        /// `127.0.0.1:14441 (3f2a9c1e)`: how the replica is named in disagreements.
        public var label: String { RecordReadReport.label(nodeID, endpoint) }
    }

    public let key: RecordKey
    public let layer: Int
    public let replicas: [Replica]
    /// The comparison the winner and the disagreements come from.
    public let comparison: ReplicaComparison
    /// The winning value decoded as `key.type`; nil when nothing was found.
    public let view: RecordView?
    /// What the lookup cost (rounds, RPCs, responders); nil when the caller had none.
    public let lookup: LookupSummary?

    public var found: Bool { view != nil }
    /// BitDust's reader would hand the record to its caller: found, and the winner obeys the rules.
    public var readable: Bool { view?.isValid == true && comparison.bitDustReaderError == nil }

    /// Builds the report from raw copies (first received first).
    public init(key: RecordKey, layer: Int, values: [FoundValue], lookup: LookupSummary?, now: Int64) {
        self.key = key
        self.layer = layer
        self.lookup = lookup
        let texts = values.map { RecordReadReport.text(of: $0.value) }
        let copies = zip(values, texts).map { v, t in
            ReplicaComparison.Copy(responder: RecordReadReport.label(v.from.id, v.from.endpoint), value: t)
        }
        let comparison = ReplicaComparison(copies)
        self.comparison = comparison
        self.view = comparison.winnerView(expected: key.type, now: now)
        let winnerJSON = comparison.winner.flatMap { BitDustJSON.parse($0.value) }
        replicas = values.indices.map { i in
            let json = BitDustJSON.parse(texts[i])
            let same = i == comparison.winnerIndex || (json != nil ? json == winnerJSON : texts[i] == comparison.winner?.value)
            let valid = json.map { RecordRules.validate(type: key.type, json: $0).isEmpty } ?? (key.type.jsonTypeName == nil)
            return Replica(
                nodeID: values[i].from.id, endpoint: values[i].from.endpoint,
                revision: json?["revision"]?.intValue, isWinner: i == comparison.winnerIndex,
                matchesWinner: same, isValid: valid)
        }
    }

    /// Builds the report from the result of `RecordReadFlow.operation` (nil: timed out).
    public init(key: RecordKey, layer: Int, result: OperationResult?, now: Int64) throws(OperationFailure) {
        switch result {
        case .value(let v)?: self.init(key: key, layer: layer, values: v.values, lookup: v.lookup, now: now)
        case .failed(let f)?: throw f
        case nil: throw OperationFailure(.timeout, "timed out")
        case let other?: throw OperationFailure(.invalidArgument, "unexpected result \(other)")
        }
    }

    /// One line: `suppliers revision 3, valid, 4 replicas agree` / `… 2 disagreements`.
    public var summary: String {
        guard let view else { return "\(key.type.rawValue) record not found" }
        var s = view.kind
        if let r = view.revision { s += " revision \(r)" }
        s += view.isValid ? ", valid" : ", INVALID"
        let n = replicas.count
        s += ", \(n) replica\(n == 1 ? "" : "s")"
        s += comparison.agree ? (n > 1 ? " agree" : "") : ", \(comparison.disagreements.count) disagreement\(comparison.disagreements.count == 1 ? "" : "s")"
        return s
    }

    /// Display lines: the key, the decoded winner (or its raw text when `raw`), the replicas and
    /// the disagreements. Values are escaped; safe for a terminal.
    public func lines(raw: Bool = false, width: Int = 100) -> [String] {
        var out = ["key \(key.string) → \(key.hash.hex) (layer \(layer))"]
        guard let view, let winner = comparison.winner else { return out + ["not found"] }
        if raw {
            out.append("raw value from \(winner.responder):")
            out += winner.value.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + Sanitizer.clean(String($0)) }
        } else {
            out += view.lines(width: width)
        }
        out.append("replicas (\(replicas.count)):")
        for r in replicas {
            let rev = r.revision.map { "revision \($0)" } ?? "no revision"
            var tags: [String] = []
            if r.isWinner { tags.append("kept") } else if !r.matchesWinner { tags.append("differs") }
            if !r.isValid { tags.append("invalid") }
            out.append(
                "  \(rev.prefix(14) + String(repeating: " ", count: max(0, 14 - rev.count))) \(r.label)"
                    + (tags.isEmpty ? "" : "  [" + tags.joined(separator: ", ") + "]"))
        }
        if comparison.agree {
            out.append(replicas.count > 1 ? "replicas agree" : "only one replica answered")
        } else {
            out.append("disagreements:")
            out += comparison.disagreements.map { "  " + $0.description }
        }
        if let e = comparison.bitDustReaderError { out.append("BitDust's reader would fail: \(e)") }
        if !view.isValid { out.append("BitDust's reader would drop this record: \(view.validityText)") }
        return out
    }

    /// `127.0.0.1:14441 (3f2a9c1e)`.
    public static func label(_ id: NodeID, _ endpoint: Endpoint) -> String {
        "\(endpoint) (\(id.hex.prefix(8)))"
    }

    /// A stored value as text: bytes as UTF-8 (invalid bytes replaced), other bencode as a description.
    public static func text(of value: BValue) -> String {
        if case .bytes(let b) = value { return String(decoding: b, as: UTF8.self) }
        return "\(value)"
    }
}

/// How a record read is run, so that the CLI and the console run the same one: a collect-all
/// findValue (BitDust's readers take the highest revision of all the copies they meet), run a
/// second time by the backend when the first met no copy.
/// A value type; pure; thread-safe.
public struct RecordReadFlow: Hashable, Sendable {
    public let key: RecordKey
    public let layer: Int

    /// Parses the key first; throws the key error (its text carries the type's usage line).
    public init(type: RecordType, parts: [String], layer: Int) throws(RecordKeyError) {
        key = try RecordKey.parse(type: type, parts: parts)
        self.layer = layer
    }

    /// For a key already parsed.
    public init(key: RecordKey, layer: Int) {
        self.key = key
        self.layer = layer
    }

    /// The operation to run.
    public var operation: Operation { .findValue(key: key.hash, layer: layer, collectAll: true) }

    /// The report for the operation's result (nil: it timed out).
    public func report(_ result: OperationResult?, now: Int64) throws(OperationFailure) -> RecordReadReport {
        try RecordReadReport(key: key, layer: layer, result: result, now: now)
    }
}

extension BitDustJSON {
    /// The BitDust serialization on one line (ASCII-only, no structural newlines): valid JSON for
    /// embedding in a one-line `--json` object.
    public var compactText: String {
        serialized(asciiOnly: true).split(separator: "\n", omittingEmptySubsequences: true).joined()
    }
}
