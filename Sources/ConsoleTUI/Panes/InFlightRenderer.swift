import ConsoleModel
import DHTCore
import DHTWire

/// Draws the In-flight pane: pending RPCs with elapsed time against their timeout, running
/// lookups with round statistics, then the latest finished ones. One column grid for all three
/// (`Columns`): what, to whom, status, time, detail; addresses and statuses are shown whole when
/// the pane has room. Reads the state only.
enum InFlightRenderer {
    /// The columns; `HelpText.columns` explains them.
    static let columns: [ColumnSpec] = [
        ColumnSpec(["kind"], min: 3, priority: 5, extra: true),
        ColumnSpec(["call"], min: 8, ideal: 9, priority: 1, growth: 2),
        ColumnSpec(["peer / target"], min: 13, ideal: 21, priority: 0),
        ColumnSpec(["status"], min: 7, ideal: 10, priority: 2, growth: 1),
        ColumnSpec(["time"], min: 5, ideal: 6, priority: 3, right: true),
        ColumnSpec(["detail"], min: 8, priority: 4, flex: true)
    ]

    static func draw(_ st: ConsoleState, in r: Rect, on s: inout Surface) {
        let p = st.inFlight
        let shown = p.shown(now: st.now)
        let pending = shown.pending
        let lookups = shown.lookups
        let filter = p.filter.isEmpty ? "" : " /\(p.filter.typed)"
        let sort = p.sort.column == .time && !p.sort.reversed ? "" : " sort:\(p.sort.label)"
        let area = PaneFrame.draw(
            .inFlight, title: "In flight",
            extra: "\(pending.count) RPCs, \(lookups.count) lookups\(sort)\(filter)",
            focused: st.focus == .inFlight, in: r, on: &s)
        let cols = Columns(columns.filter { st.showsColumn("inflight", titles: $0.titles) }, width: area.width)
        let subjectWidth = cols["peer / target"]
        var row = 0
        var index = 0
        func finish() {
            s.mark(.inFlight, item: index, y: area.y + row, x: area.x, width: area.width)
            if index == p.selection && st.focus == .inFlight {
                s.restyle(x: area.x, y: area.y + row, width: area.width, role: .selection)
            }
            row += 1
            index += 1
        }
        for rpc in pending where row < area.height {
            var w = RowWriter(area, row: row)
            cols.put("kind", "rpc", .rpcOut, &w, on: &s)
            cols.put("call", rpc.method, .rpcOut, &w, on: &s)
            cols.put("peer / target", rpc.peer.description, .normal, &w, on: &s)
            let elapsed = st.now - rpc.sentAt
            let barW = cols["status"]
            let ms = Int(elapsed.milliseconds), total = Int(rpc.timeout.milliseconds)
            if barW > 0 {
                let (full, empty) = s.glyphs.bar(ms, of: max(1, total), width: barW)
                w.add(full, ms * 4 > total * 3 ? .questionable : .barFull, on: &s, gap: 0)
                w.add(empty, .barEmpty, on: &s)
            }
            cols.put("time", Format.fixed(elapsed.seconds, 1) + "s", .normal, &w, on: &s)
            cols.put("detail", "of \(Format.age(rpc.timeout))", .dim, &w, on: &s)
            finish()
        }
        for l in lookups where row < area.height {
            var w = RowWriter(area, row: row)
            cols.put("kind", "lkp", .lookup, &w, on: &s)
            cols.put("call", l.purpose.rawValue, .lookup, &w, on: &s)
            cols.put("peer / target", l.target.shortHex(max(1, subjectWidth)), .key, &w, on: &s)
            cols.put("status", "round \(l.rounds)", .normal, &w, on: &s)
            cols.put("time", Format.latency(st.now - l.startedAt), .normal, &w, on: &s)
            let long = "\(l.inFlight) asking, \(l.responders) answered, \(l.timeouts) timeouts, prefix \(l.closestCommonPrefix ?? 0)"
            let shorter = ["f\(l.inFlight) a\(l.responders) t\(l.timeouts) cp\(l.closestCommonPrefix ?? 0)", "a\(l.responders) t\(l.timeouts)"]
            let text = ([long] + shorter).first { $0.count <= cols["detail"] } ?? shorter[1]
            cols.put("detail", text, .dim, &w, on: &s)
            finish()
        }
        if row < area.height, row > 0 {
            s.put(String(repeating: String(s.glyphs.horizontal), count: area.width), x: area.x, y: area.y + row, role: .border)
            s.put(" finished ", x: area.x + 2, y: area.y + row, role: .dim)
            row += 1
        }
        for f in shown.finished where row < area.height {
            var w = RowWriter(area, row: row)
            cols.put("kind", f.kind == .rpc ? "rpc" : "lkp", .dim, &w, on: &s)
            cols.put("call", f.label, .normal, &w, on: &s)
            let subject = f.lookup.map { $0.target.shortHex(max(1, subjectWidth)) } ?? f.subject
            cols.put("peer / target", subject, .dim, &w, on: &s)
            let status = statusText(f)
            let shown = status.count <= cols["status"] ? status : shortStatus(f)
            cols.put("status", shown, succeeded(f) ? .good : .bad, &w, on: &s)
            cols.put("time", Format.latency(f.latency), .normal, &w, on: &s)
            if let l = f.lookup {
                let long = "\(l.rounds) rounds, \(l.rpcsSent) RPCs, \(l.responders) answered"
                let shorter = ["\(l.rounds) rounds, \(l.rpcsSent) RPCs", "\(l.rpcsSent) RPCs"]
                let text = ([long] + shorter).first { $0.count <= cols["detail"] } ?? shorter[1]
                cols.put("detail", text, .dim, &w, on: &s)
            }
            finish()
        }
        if row == 0, area.height > 0 { s.put("idle", x: area.x + 1, y: area.y, role: .dim) }
    }

    /// How it ended, in words: the result's own text, except that a join or refresh that
    /// succeeded by asking everyone reads `joined` / `done` rather than `exhausted`.
    static func statusText(_ f: InFlightPane.Finished) -> String {
        guard case .lookup(.exhausted) = f.result, succeeded(f), let l = f.lookup else { return f.result.text }
        return l.purpose == .join ? "joined" : "done"
    }

    /// The status in at most 7 columns, for a narrow pane: `done` (converged), `found`,
    /// `partial` (exhausted), `alone` (no contacts), `error`; `HelpText.legend` lists them.
    static func shortStatus(_ f: InFlightPane.Finished) -> String {
        switch f.result {
        case .ok: return "ok"
        case .timeout: return "timeout"
        case .remoteError: return "error"
        case .lookup(let t):
            switch t {
            case .converged: return "done"
            case .valueFound: return "found"
            case .exhausted: return succeeded(f) ? statusText(f) : "partial"
            case .noContacts: return "alone"
            case nil: return "stopped"
            }
        }
    }

    /// Whether a finished item ended as it should: an answer, a value found, a converged lookup,
    /// or a join or refresh that asked every contact it could and heard from some (in a network
    /// smaller than k, "exhausted" is how a successful join ends).
    static func succeeded(_ f: InFlightPane.Finished) -> Bool {
        if f.result.isSuccess { return true }
        guard case .lookup(.exhausted) = f.result, let l = f.lookup else { return false }
        return (l.purpose == .join || l.purpose == .refresh) && l.responders > 0
    }
}
