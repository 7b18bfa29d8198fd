import ConsoleModel
import DHTCore
import DHTWire

/// Draws the In-flight pane: pending RPCs with elapsed time against their timeout, running
/// lookups with round statistics, then the latest finished ones. Reads the state only.
enum InFlightRenderer {
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
        let wide = area.width >= 60
        var row = 0
        var index = 0
        func highlight() {
            if index == p.selection && st.focus == .inFlight {
                s.restyle(x: area.x, y: area.y + row, width: area.width, role: .selection)
            }
            row += 1
            index += 1
        }
        for rpc in pending where row < area.height {
            var w = RowWriter(area, row: row)
            if wide { w.column("rpc", 3, .rpcOut, on: &s) }
            w.column(rpc.method, wide ? 10 : 8, .rpcOut, on: &s)
            w.column(rpc.peer.description, wide ? 21 : 15, .normal, on: &s)
            if wide { w.column("L\(rpc.layer)", 3, .dim, on: &s) }
            let elapsed = st.now - rpc.sentAt
            let barW = wide ? 8 : 4
            let ms = Int(elapsed.milliseconds), total = Int(rpc.timeout.milliseconds)
            let (full, empty) = s.glyphs.bar(ms, of: max(1, total), width: barW)
            w.add(full, ms * 4 > total * 3 ? .questionable : .barFull, on: &s, gap: 0)
            w.add(empty, .barEmpty, on: &s)
            w.add(Format.fixed(elapsed.seconds, 1) + "/" + Format.age(rpc.timeout), .dim, on: &s)
            highlight()
        }
        for l in lookups where row < area.height {
            var w = RowWriter(area, row: row)
            if wide { w.column("lkp", 3, .lookup, on: &s) }
            w.column(l.purpose.rawValue, wide ? 10 : 8, .lookup, on: &s)
            w.column(l.target.shortHex(wide ? 12 : 8), wide ? 12 : 8, .key, on: &s)
            w.add("r\(l.rounds) f\(l.inFlight) a\(l.responders) t\(l.timeouts)", .normal, on: &s)
            w.add("cp \(l.closestCommonPrefix ?? 0)", .dim, on: &s)
            highlight()
        }
        if row < area.height, row > 0 {
            s.put(String(repeating: String(s.glyphs.horizontal), count: area.width), x: area.x, y: area.y + row, role: .border)
            s.put(" finished ", x: area.x + 2, y: area.y + row, role: .dim)
            row += 1
        }
        for f in shown.finished where row < area.height {
            var w = RowWriter(area, row: row)
            if wide { w.column(f.kind == .rpc ? "rpc" : "lkp", 3, .dim, on: &s) }
            w.column(f.label, wide ? 10 : 8, .normal, on: &s)
            w.column(f.subject, wide ? 21 : 13, .dim, on: &s)
            w.column(f.result.text, wide ? 10 : 7, f.result.isSuccess ? .good : .bad, on: &s)
            w.add(Format.latency(f.latency), .normal, on: &s)
            if wide, let l = f.lookup { w.add("r\(l.rounds) \(l.rpcsSent) RPCs", .dim, on: &s) }
            highlight()
        }
        if row == 0, area.height > 0 { s.put("idle", x: area.x + 1, y: area.y, role: .dim) }
    }
}
