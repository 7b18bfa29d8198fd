import DHTCore
import DHTWire
import NodeAPI

/// A full-screen page over the panes: a contact's details (Enter on a contact), a lookup's
/// trace round by round (Enter on a lookup in In flight), or the results log (`L`). A value type.
public enum DetailPage: Sendable, Hashable {
    case contact(layer: Int, id: NodeID)
    case lookup(LookupID)
    case resultsLog
}

/// One line of a page, with the role it is drawn in. A value type.
public struct PageLine: Sendable, Hashable {
    public var text: String
    public var role: ThemeRole
    public init(_ text: String, _ role: ThemeRole = .normal) {
        self.text = text
        self.role = role
    }
}

/// What a page shows: its title, lines, and the keys it takes (for its bottom line). A value type.
public struct PageContent: Sendable, Hashable {
    public var title: String
    public var lines: [PageLine]
    public var keys: String
}

extension ConsoleState {
    /// The open page's content, or nil when no page is open. Lines longer than the screen
    /// continue on the next lines (indented), so every result can be read whole.
    public var pageContent: PageContent? {
        guard var content = unwrappedPage else { return nil }
        let room = max(8, width - 1)
        content.lines = content.lines.flatMap { line -> [PageLine] in
            var chars = Substring(line.text)
            guard chars.count > room else { return [line] }
            var out = [PageLine(String(chars.prefix(room)), line.role)]
            chars = chars.dropFirst(room)
            while !chars.isEmpty {
                out.append(PageLine("    " + String(chars.prefix(room - 4)), line.role))
                chars = chars.dropFirst(room - 4)
            }
            return out
        }
        return content
    }

    var unwrappedPage: PageContent? {
        switch page {
        case nil: return nil
        case .contact(let layer, let id): return contactPage(layer: layer, id: id)
        case .lookup(let id): return lookupPage(id)
        case .resultsLog:
            let lines = results.lines
            return PageContent(
                title: "Results log (\(results.count) results)",
                lines: lines.isEmpty ? [PageLine("no command has run yet", .dim)] : lines.map { PageLine($0, $0.hasPrefix(" ") ? .normal : .headerValue) },
                keys: "↑↓ PgUp/PgDn g/G scroll  w write to a file  Esc/q close")
        }
    }

    /// The contact as the panes know it, with its bucket's table index.
    func knownContact(layer: Int, id: NodeID) -> (bucket: Int, contact: Contact)? {
        for (i, b) in (buckets.layers[layer] ?? []).enumerated() {
            if let c = b.contacts.first(where: { $0.id == id }) { return (i, c) }
        }
        return nil
    }

    func contactPage(layer: Int, id: NodeID) -> PageContent {
        let keys = "p ping  f find its id  x forget it  ↑↓ scroll  Esc/q close"
        var out: [PageLine] = []
        guard let (bucket, c) = knownContact(layer: layer, id: id) else {
            out.append(PageLine("This contact is no longer in the routing table (evicted or forgotten).", .questionable))
            out += historyLines(layer: layer, id: id)
            return PageContent(title: "Contact \(id.hex)", lines: out, keys: keys)
        }
        let health = c.health(now: now)
        let b = buckets.layers[layer]?[bucket]
        // The prefix as the K-buckets pane labels it: the last prefix bit / the prefix length.
        let range =
            b.map { b in
                let label = b.prefixLength == 0 ? "*" : "\(b.lower.bit(b.prefixLength - 1) ? 1 : 0)/\(b.prefixLength)"
                return ", prefix \(label) (\(b.contacts.count)/\(buckets.k) contacts)"
            } ?? ""
        out.append(PageLine("id          \(c.id.hex)", .key))
        out.append(PageLine("address     \(c.endpoint)"))
        out.append(PageLine("layer       \(layer)    bucket \(bucket)\(range)"))
        let role: ThemeRole = health == .good ? .good : health == .bad ? .bad : .questionable
        out.append(PageLine("health      \(health.rawValue)", role))
        out.append(PageLine("first seen  \(Format.age(now - c.firstSeen)) ago"))
        out.append(PageLine("last seen   \(Format.age(now - c.lastSeen)) ago (any message)"))
        out.append(PageLine("last reply  \(c.lastReply.map { Format.age(now - $0) + " ago" } ?? "never (no answer to our calls yet)")"))
        out.append(PageLine("failures    \(c.failures) consecutive timeouts", c.failures > 0 ? .bad : .normal))
        out.append(PageLine("rtt         \(c.rtt.map(Format.millis) ?? "-") (latest reply)"))
        out.append(PageLine(""))
        out += historyLines(layer: layer, id: id)
        return PageContent(title: "Contact \(c.id.shortHex(16)) \(c.endpoint)", lines: out, keys: keys)
    }

    /// The RTT history: a summary line and our latest calls to the contact, newest first.
    func historyLines(layer: Int, id: NodeID) -> [PageLine] {
        let samples = contactHistory.samples(layer: layer, id: id)
        guard !samples.isEmpty else {
            return [PageLine("RTT history: no call of ours to it seen since the console started", .dim)]
        }
        let rtts = samples.compactMap { s -> Duration? in
            if case .answered(let d) = s.outcome { return d }
            return nil
        }
        var out: [PageLine] = []
        if let lo = rtts.min(), let hi = rtts.max() {
            let avg = rtts.reduce(0.0) { $0 + $1.milliseconds } / Double(rtts.count)
            out.append(
                PageLine(
                    "RTT history: \(rtts.count) answered, min/avg/max \(Format.fixed(lo.milliseconds, 1))/"
                        + "\(Format.fixed(avg, 1))/\(Format.fixed(hi.milliseconds, 1)) ms, \(samples.count - rtts.count) unanswered",
                    .headerValue))
        } else {
            out.append(PageLine("RTT history: \(samples.count) calls, none answered", .bad))
        }
        out.append(PageLine("  when      method      result", .dim))
        for s in samples.reversed() {
            let (text, role): (String, ThemeRole)
            switch s.outcome {
            case .answered(let d): (text, role) = (Format.millis(d), .good)
            case .timeout: (text, role) = ("timeout", .bad)
            case .remoteError(let e): (text, role) = ("error: " + e, .bad)
            }
            out.append(PageLine("  " + Format.pad(Format.age(now - s.at), 8) + "  " + Format.pad(s.method, 10) + "  " + text, role))
        }
        return out
    }

    func lookupPage(_ id: LookupID) -> PageContent {
        let keys = "↑↓ PgUp/PgDn g/G scroll  Esc/q close"
        guard let trace = lookupTraces.trace(id) else {
            return PageContent(
                title: "Lookup \(id)", lines: [PageLine("no trace of this lookup (it began before the console saw it, or was dropped)", .dim)],
                keys: keys)
        }
        let s = trace.summary
        var out: [PageLine] = []
        out.append(PageLine("target      \(s.target.hex)", .key))
        out.append(PageLine("purpose     \(s.purpose.rawValue)    layer \(s.layer)"))
        let state = s.termination?.rawValue ?? (trace.finished ? "stopped" : "running")
        out.append(
            PageLine(
                "state       \(state) after \(s.rounds) round\(s.rounds == 1 ? "" : "s"), \(s.rpcsSent) RPCs, "
                    + "\(s.responders) answered, \(s.timeouts) timed out, \(Format.latency(s.elapsed))",
                s.termination == .converged || s.termination == .valueFound ? .good : trace.finished ? .bad : .lookup))
        out.append(PageLine("closest     \(s.closestCommonPrefix.map { "\($0) bits in common with the target" } ?? "-")"))
        if trace.queriesDropped > 0 { out.append(PageLine("(\(trace.queriesDropped) later queries not kept)", .dim)) }
        for (round, queries) in trace.rounds {
            let answered = queries.filter { if case .answered = $0.state { return true } else { return false } }
            let best = queries.compactMap { $0.peerID.map { $0.commonPrefixLength(with: s.target) } }.max()
            out.append(PageLine(""))
            out.append(
                PageLine(
                    "Round \(round.map(String.init) ?? "?"): \(queries.count) asked, \(answered.count) answered"
                        + (best.map { ", closest \($0) bits" } ?? ""), .headerValue))
            out.append(PageLine("  address                id                cp  result      time", .dim))
            for q in queries {
                let cp = q.peerID.map { String($0.commonPrefixLength(with: s.target)) } ?? "-"
                let (text, role): (String, ThemeRole)
                switch q.state {
                case .waiting: (text, role) = ("waiting", .lookup)
                case .answered: (text, role) = ("answered", .good)
                case .timeout: (text, role) = ("timeout", .bad)
                case .remoteError(let e): (text, role) = ("error: " + e, .bad)
                }
                let time: String
                switch q.state {
                case .answered(let d): time = Format.latency(d)
                case .waiting: time = Format.latency(now - q.sentAt) + "…"
                default: time = "-"
                }
                let retry = q.attempt > 1 ? " (re-sent)" : ""
                out.append(
                    PageLine(
                        "  " + Format.pad(q.peer.description, 21) + "  " + Format.pad(q.peerID.map { $0.shortHex(16) } ?? "(seed)", 16)
                            + "  " + Format.pad(cp, 3, right: true) + "  " + Format.pad(text, 10) + "  " + time + retry, role))
            }
        }
        if !s.closest.isEmpty {
            out.append(PageLine(""))
            out.append(PageLine("Closest found (\(s.closest.count)):", .headerValue))
            for c in s.closest {
                out.append(
                    PageLine("  \(Format.pad(c.endpoint.description, 21))  \(c.id.hex)  cp \(c.id.commonPrefixLength(with: s.target))"))
            }
        }
        return PageContent(title: "Lookup \(id) \(s.purpose.rawValue) \(s.target.shortHex(16))", lines: out, keys: keys)
    }
}
