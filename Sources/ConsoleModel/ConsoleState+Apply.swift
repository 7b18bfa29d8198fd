import DHTCore
import DHTWire

extension ConsoleState {
    /// Folds one input into the state and says what the loop should do next.
    /// Call on the UI thread only.
    public mutating func apply(_ input: ConsoleInput) -> ConsoleIntent {
        switch input {
        case .events, .snapshot:
            if paused {
                if backlog.count >= options.pausedBacklog {
                    backlog.removeFirst()
                    backlogDropped += 1
                }
                backlog.append(input)
                return .none
            }
            fold(input)
            return .redraw
        case .key(let key):
            return handleKey(key)
        case .resize(let w, let h):
            width = max(1, w)
            height = max(1, h)
            return .redraw
        case .tick(let t):
            advance(to: t)
            return .redraw
        case .commandProgress(let line):
            prompt.progress = Sanitizer.clean(line)
            results.addProgress(line)
            return .redraw
        case .commandResult(let outcome):
            finish(outcome)
            return .redraw
        case .linkAttached, .linkDetached:
            applyLink(input)
            return .redraw
        }
    }

    /// Folds node inputs, even while paused (used by `apply` and on resume).
    mutating func fold(_ input: ConsoleInput) {
        switch input {
        case .events(let list, let at):
            advance(to: at)
            for e in list { foldOne(e, at: at) }
            clampSelections()
        case .snapshot(let s):
            advance(to: s.takenAt)
            header.absorb(s)
            buckets.k = s.k
            for l in s.layers { buckets.absorb(layer: l.layer, buckets: l.buckets) }
            keys.absorb(s.layers.flatMap(\.records))
            inFlight.absorb(pending: s.pending, lookups: s.lookups)
            if header.layers[layer] == nil, let first = s.layers.first { layer = first.layer }
            clampSelections()
        default:
            break
        }
    }

    mutating func advance(to t: Timestamp) {
        if t > now { now = t }
        header.advance(to: now)
    }

    /// Folds one node event at time `at`.
    public mutating func fold(_ event: NodeEvent, at: Timestamp) {
        foldOne(event, at: at)
        clampSelections()
    }

    /// `fold(_:at:)` without re-clamping the selections (a batch clamps once at its end: clamping
    /// counts the keys, which per event made a busy node with many keys cost seconds per frame).
    mutating func foldOne(_ event: NodeEvent, at: Timestamp) {
        events.append(event, at: at)
        contactHistory.fold(
            event, at: at, addressee: ContactHistory.addressedCall(event).flatMap { buckets.contactID(at: $0.peer, layer: $0.layer) })
        lookupTraces.fold(event)
        switch event {
        case .contactAdded(let l, let c, _), .contactRefreshed(let l, let c, _):
            buckets.upsert(c, layer: l, at: at)
        case .contactEvicted(let l, let c, _):
            buckets.remove(c.id, layer: l)
        case .contactFailed(let l, let c, let f):
            buckets.markFailed(c, failures: f, layer: l)
        case .bucketSplit(let l, let b, let p):
            buckets.split(layer: l, index: b, prefixLength: p, at: at)
        case .rpcSent(let r):
            inFlight.sent(r)
            header.rpcOut.record(at: at)
        case .rpcAnswered(let r, let latency, let error):
            inFlight.answered(r, latency: latency, error: error, at: at)
            header.answered.record(at: at)
        case .rpcTimedOut(let r):
            inFlight.timedOut(r, at: at)
            header.timedOut.record(at: at)
        case .requestServed:
            header.rpcIn.record(at: at)
            header.unsolicitedRequests += 1
        case .lookupStarted(let s), .lookupProgressed(let s):
            inFlight.lookupUpdated(s)
        case .lookupFinished(let s):
            inFlight.lookupFinished(s, at: at)
        case .valueStored(let l, _, let key, let bytes, let pub, _):
            keys.stored(layer: l, keyText: key, bytes: bytes, publisher: pub, at: at)
        case .valueExpired(let l, let key), .valueDeleted(let l, let key, _):
            keys.removed(layer: l, keyText: key)
        case .layerStateChanged(let l, let id, let state):
            header.layers[l] = (id, state)
        case .storageFailed(let l, let removed, _):
            for key in removed { keys.removed(layer: l, keyText: key) }
        case .joinStateChanged(let l, let state):
            header.joinStates[l] = state
        case .storeRefused, .valueServed, .valueReplicated, .datagramDropped:
            break
        }
    }

    /// Shows a command's outcome at the prompt and, with detail, in the record pane.
    mutating func finish(_ outcome: CommandOutcome) {
        let echo = outcome.command.isEmpty ? (prompt.running ?? "") : outcome.command
        prompt.running = nil
        prompt.progress = nil
        prompt.say((echo.isEmpty ? "" : echo + ": ") + outcome.summary, outcome.succeeded ? .success : .error)
        results.add(outcome, command: echo, at: now)
        if let crawl = CrawlGlance(outcome) { lastCrawl = (crawl, now) }
        events.append(
            EventsPane.Line(
                at: now, category: outcome.succeeded ? .command : .error,
                text: prompt.message))
        if !outcome.detail.isEmpty {
            record.show(title: Sanitizer.clean(echo), lines: outcome.detail, raw: outcome.rawDetail)
        }
    }

    /// Resumes the display and folds everything that arrived meanwhile.
    mutating func resume() {
        paused = false
        let waiting = backlog
        backlog = []
        for input in waiting { fold(input) }
        if backlogDropped > 0 {
            prompt.say("resumed; \(backlogDropped) updates were dropped while paused", .info)
            backlogDropped = 0
        }
    }

    mutating func clampSelections() {
        buckets.clampSelection(layer: layer)
        let n = keys.rowCount(layer: layer)
        keys.selection = n == 0 ? 0 : min(keys.selection, n - 1)
        let f = inFlight.filter.isEmpty ? inFlight.rowCount : inFlight.shownCount(now: now)
        inFlight.selection = f == 0 ? 0 : min(inFlight.selection, f - 1)
    }
}
