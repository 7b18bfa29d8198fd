/// Compares the copies several nodes returned for one key, picks the value BitDust's reader
/// (`dht_service.on_read_json_response`) would pick, and lists where replicas disagree.
/// A value type; pure; thread-safe; never reads the clock.
public struct ReplicaComparison: Hashable, Sendable {
    /// One node's copy. `dhtRevision` is the DHT-level store revision (the `values` tuple's second
    /// item; 0 for ordinary stores) BitDust uses to break ties between revision-less values.
    public struct Copy: Hashable, Sendable {
        public let responder: String
        public let value: String
        public let dhtRevision: Int64
        public init(responder: String, value: String, dhtRevision: Int64 = 0) {
            self.responder = responder
            self.value = value
            self.dhtRevision = dhtRevision
        }
    }

    /// One disagreement, for display.
    public enum Disagreement: Hashable, Sendable, CustomStringConvertible {
        /// Responders grouped by the JSON revision they hold (nil: no revision / not JSON).
        case revisions([Int64?: [String]])
        /// Same revision, different content: the responder groups per distinct value.
        case content(revision: Int64?, groups: [[String]])

        public var description: String {
            switch self {
            case .revisions(let byRev):
                let parts = byRev.keys.sorted { ($0 ?? -1) > ($1 ?? -1) }.map { r in
                    "revision \(r.map(String.init) ?? "none"): \(byRev[r]!.joined(separator: ", "))"
                }
                return "replicas hold different revisions — " + parts.joined(separator: "; ")
            case .content(let r, let groups):
                return "same revision \(r.map(String.init) ?? "(none)") with different content — "
                    + groups.map { "[" + $0.joined(separator: ", ") + "]" }.joined(separator: " vs ")
            }
        }
    }

    public let copies: [Copy]
    /// Index into `copies` of the value BitDust keeps; nil when there are no copies.
    public let winnerIndex: Int?
    public let disagreements: [Disagreement]
    /// Set when BitDust's reader would fail outright (a copy is not a JSON object, or a revision is
    /// not an integer); the text says why. dhtop still shows its own pick.
    public let bitDustReaderError: String?

    public var winner: Copy? { winnerIndex.map { copies[$0] } }

    /// The winning copy decoded for display (`RecordDecoder.decode`), nil when there are no copies.
    public func winnerView(expected: RecordType?, now: Int64) -> RecordView? {
        winner.map { RecordDecoder.decode($0.value, expected: expected, now: now) }
    }
    public var agree: Bool { disagreements.isEmpty }

    public init(_ copies: [Copy]) {
        self.copies = copies
        let parsed = copies.map { BitDustJSON.parse($0.value) }
        var readerError: String?
        for (c, j) in zip(copies, parsed) where readerError == nil {
            guard let j, case .object = j else {
                readerError = "invalid json value found in DHT (from \(c.responder))"
                break
            }
            if let r = j["revision"], case .int = r {
            } else if j["revision"] != nil {
                readerError = "non-integer revision from \(c.responder)"
            }
        }
        bitDustReaderError = readerError
        let revisions: [Int64?] = parsed.map { j in
            if case .int(let i)? = j?["revision"] { return i }
            return nil
        }
        // BitDust: start with the first copy; a revision >= 0 wins when > the best so far (starting
        // at 0, so ties keep the earlier copy); a revision-less copy wins when its DHT revision is
        // higher than the best DHT revision seen so far.
        var winner: Int? = copies.isEmpty ? nil : 0
        var latestRevision: Int64 = 0, latest: Int64 = 0
        for i in copies.indices {
            let rev = revisions[i] ?? -1
            if rev >= 0 {
                if rev > latestRevision {
                    winner = i
                    latestRevision = rev
                    latest = copies[i].dhtRevision
                }
            } else if copies[i].dhtRevision > latest {
                winner = i
                latest = copies[i].dhtRevision
                latestRevision = rev
            }
        }
        winnerIndex = winner
        var found: [Disagreement] = []
        var byRev: [Int64?: [String]] = [:]
        for (c, r) in zip(copies, revisions) { byRev[r, default: []].append(c.responder) }
        if byRev.count > 1 { found.append(.revisions(byRev)) }
        for r in byRev.keys.sorted(by: { ($0 ?? -1) > ($1 ?? -1) }) {
            var groups: [(canonical: String, responders: [String])] = []
            for (i, c) in copies.enumerated() where revisions[i] == r {
                let canonical = parsed[i].map { $0.serialized() } ?? c.value
                if let g = groups.firstIndex(where: { $0.canonical == canonical }) {
                    groups[g].responders.append(c.responder)
                } else {
                    groups.append((canonical, [c.responder]))
                }
            }
            if groups.count > 1 { found.append(.content(revision: r, groups: groups.map(\.responders))) }
        }
        disagreements = found
    }
}
