import DHTWire

/// Whether what the console shows is live. The embedded console's always is (`local`); an
/// attached console's is while its control connection lasts, and is stale from the moment the
/// node is out of reach until it answers again. A value type owned by `ConsoleState`.
public enum LinkStatus: Sendable, Hashable {
    /// The node runs in this process.
    case local
    /// Attached over the control socket to the node with this pid.
    case attached(pid: Int32)
    /// The node is out of reach for `reason` (sanitized); the next attempt is at `retryAt`.
    case detached(reason: String, retryAt: Timestamp)

    /// Whether the panes show data that no longer changes.
    public var isStale: Bool {
        if case .detached = self { return true }
        return false
    }

    /// `detached: <reason>, retry in 4 s` for the header (nil unless detached), at time `now`.
    public func detachedText(now: Timestamp) -> String? {
        guard case .detached(let reason, let retryAt) = self else { return nil }
        let wait = max(0, Int((retryAt - now).seconds.rounded(.up)))
        return "detached: \(reason), " + (wait > 0 ? "retry in \(wait) s" : "retrying")
    }
}

extension ConsoleState {
    /// Folds a change of the attach link: the header and the events pane say it at once.
    mutating func applyLink(_ input: ConsoleInput) {
        switch input {
        case .linkAttached(let pid):
            let wasDetached = link.isStale
            link = .attached(pid: pid)
            if wasDetached {
                let text = "attached again to the node (pid \(pid)); fresh snapshot"
                events.append(EventsPane.Line(at: now, category: .command, text: text))
                prompt.say(text, .success)
            }
        case .linkDetached(let reason, let retryIn):
            let clean = Sanitizer.clean(reason)
            let wasDetached = link.isStale
            let wait = retryIn.isFinite ? min(max(retryIn, 0), 3600) : 0
            link = .detached(reason: clean, retryAt: now + .nanoseconds(Int64(wait * 1e9)))
            if !wasDetached {
                let text = "detached from the node: \(clean); reconnecting"
                events.append(EventsPane.Line(at: now, category: .error, text: text))
                prompt.say(text, .error)
            }
        default:
            break
        }
    }
}
