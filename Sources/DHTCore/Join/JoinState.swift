import DHTWire

/// How one layer stands with the network (first contact): a genesis node waiting for peers, a
/// node alone between join attempts, an attempt under way, or joined (at least one contact in its
/// routing table, which holds only peers that answered or called us). A value type; its
/// `description(now:)` reads no clock, `now` is passed in.
public enum JoinState: Sendable, Hashable, Codable {
    /// No seed was configured (`--seed genesis`): a network of its own, waiting for peers. Not
    /// an error; never retried.
    case genesis
    /// A join attempt is under way.
    case joining(JoinProgress)
    /// No contact: the last attempt failed (or the routing table emptied); the next attempt is at
    /// `progress.nextAttemptAt`.
    case alone(JoinProgress)
    /// At least one contact.
    case joined

    /// A short name: `genesis`, `joining`, `alone`, `joined`.
    public var name: String {
        switch self {
        case .genesis: return "genesis"
        case .joining: return "joining"
        case .alone: return "alone"
        case .joined: return "joined"
        }
    }

    /// Joined, or a genesis node (what `dhtop node` waits for before printing READY).
    public var isSettled: Bool {
        switch self {
        case .joined, .genesis: return true
        case .joining, .alone: return false
        }
    }

    /// The progress of the attempts, when not joined.
    public var progress: JoinProgress? {
        switch self {
        case .joining(let p), .alone(let p): return p
        case .genesis, .joined: return nil
        }
    }

    /// One line for an operator, e.g. `alone: 7 seeds: 7 DNS failures; next attempt in 8 s
    /// (attempt 3)`; without `now`, `…; retrying (attempt 3)`.
    public func description(now: Timestamp?) -> String {
        switch self {
        case .genesis: return "genesis (waiting for peers)"
        case .joined: return "joined"
        case .joining(let p):
            return "joining: attempt \(p.attempt) through \(p.seeds) seed\(p.seeds == 1 ? "" : "s")"
                + (p.last.total > 0 ? " (last: \(p.last))" : "")
        case .alone(let p):
            var text = "alone: "
            if p.reason == .tableEmptied && p.last.total == 0 {
                text += "every contact was lost"
            } else {
                text += "\(p.seeds) seed\(p.seeds == 1 ? "" : "s")" + (p.last.total > 0 ? ": \(p.last)" : ": none to try")
            }
            if let next = p.nextAttemptAt, let now {
                let wait = next - now
                let seconds = max(0, Int(wait.seconds.rounded()))
                text += "; next attempt in \(seconds) s"
            } else if p.nextAttemptAt != nil {
                text += "; retrying"
            }
            return text + (p.attempt > 0 ? " (attempt \(p.attempt + 1))" : "")
        }
    }
}

/// Why a layer is alone. A value type.
public enum AloneReason: String, Sendable, Hashable, Codable {
    /// Every seed of the last attempt failed (or none resolved).
    case seedsFailed
    /// The routing table emptied after the layer had joined.
    case tableEmptied
}

/// The attempts of a layer that is not joined: how many, through how many seeds, how the last
/// one and all of them failed, and when the next one starts. A value type.
public struct JoinProgress: Sendable, Hashable, Codable {
    /// Attempts started so far (the current one while joining).
    public var attempt: Int
    /// Seeds of the last attempt: addresses tried plus names that did not resolve.
    public var seeds: Int
    /// Failures of the last finished attempt, by kind.
    public var last: JoinFailures
    /// Failures of every attempt since the layer was last joined.
    public var total: JoinFailures
    /// When the next attempt starts (nil while one runs).
    public var nextAttemptAt: Timestamp?
    public var reason: AloneReason

    public init(
        attempt: Int, seeds: Int, last: JoinFailures = JoinFailures(), total: JoinFailures = JoinFailures(),
        nextAttemptAt: Timestamp? = nil, reason: AloneReason = .seedsFailed
    ) {
        self.attempt = attempt
        self.seeds = seeds
        self.last = last
        self.total = total
        self.nextAttemptAt = nextAttemptAt
        self.reason = reason
    }
}

/// Join failures counted by kind. A value type.
public struct JoinFailures: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Seed names that did not resolve (resolution is the host's: the engine is told the count).
    public var dns = 0
    /// Seeds that did not answer in time.
    public var noAnswer = 0
    /// Seeds whose host said the port is closed (ICMP port unreachable).
    public var refused = 0

    public init(dns: Int = 0, noAnswer: Int = 0, refused: Int = 0) {
        self.dns = dns
        self.noAnswer = noAnswer
        self.refused = refused
    }

    public var total: Int { dns + noAnswer + refused }

    static func + (a: JoinFailures, b: JoinFailures) -> JoinFailures {
        func sum(_ x: Int, _ y: Int) -> Int { x > Int.max - y ? Int.max : x + y }
        return JoinFailures(dns: sum(a.dns, b.dns), noAnswer: sum(a.noAnswer, b.noAnswer), refused: sum(a.refused, b.refused))
    }

    /// `7 DNS failures`, `2 no answer, 1 refused`.
    public var description: String {
        var parts: [String] = []
        if dns > 0 { parts.append("\(dns) DNS failure\(dns == 1 ? "" : "s")") }
        if noAnswer > 0 { parts.append("\(noAnswer) no answer") }
        if refused > 0 { parts.append("\(refused) refused") }
        return parts.isEmpty ? "no failure" : parts.joined(separator: ", ")
    }
}

/// The seeds a host gives the engine for joining and for every retry: the addresses it resolved
/// and how many names did not resolve. A value type.
public struct SeedSet: Sendable, Hashable {
    public var endpoints: [Endpoint]
    /// Seed names that did not resolve at the host's last try (counted as DNS failures).
    public var unresolved: Int
    /// `--seed genesis`: a network of its own; a failed join is not retried.
    public var genesis: Bool

    public init(endpoints: [Endpoint], unresolved: Int = 0, genesis: Bool = false) {
        self.endpoints = endpoints
        self.unresolved = unresolved
        self.genesis = genesis
    }
}
