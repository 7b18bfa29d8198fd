import ConsoleModel

/// Where each part goes for a terminal size: the header, the pane rectangles, the key-hint bar
/// and the prompt row (the last row). Computed from the size alone (and, in the compact layout,
/// from the focused pane):
/// - compact (60×20 up to 80 columns or 24 rows): one column; the focused pane takes the room,
///   Events keeps a few rows, every other pane shrinks to its title line (click or 1–5 opens it);
/// - standard (80×24 and up): two columns (buckets|keys, in flight|record) over Events;
/// - wide (160 columns and up): K-buckets beside a wide Stored-keys pane, then in flight,
///   record and events side by side.
/// Pure; a value type.
public struct Layout: Sendable, Hashable {
    /// Which of the three arrangements.
    public enum Kind: Sendable, Hashable { case compact, standard, wide }

    public var kind: Kind
    public var header: Rect
    public var panes: [PaneID: Rect]
    /// Column separators as (x, y range).
    public var separators: [(x: Int, y: Int, height: Int)]
    /// The key-hint bar, just above the prompt.
    public var hints: Rect
    public var prompt: Rect

    public static func == (a: Layout, b: Layout) -> Bool {
        a.kind == b.kind && a.header == b.header && a.panes == b.panes && a.hints == b.hints && a.prompt == b.prompt
    }
    public func hash(into h: inout Hasher) {
        h.combine(header)
        h.combine(prompt)
    }

    /// The smallest terminal with a layout (below it the console shows only a notice).
    public static let minimum = (width: 60, height: 20)

    /// Rows of each pane's content (below its title rule) at this size.
    public static func contentRows(width: Int, height: Int, focus: PaneID = .buckets) -> [PaneID: Int] {
        Layout(width: width, height: height, focus: focus).panes.mapValues { max(0, $0.height - 1) }
    }

    public init(width: Int, height: Int, focus: PaneID = .buckets) {
        kind = width < 80 || height < 24 ? .compact : width >= 160 ? .wide : .standard
        let headerRows = height >= 40 ? 3 : 2
        header = Rect(x: 0, y: 0, width: width, height: headerRows)
        prompt = Rect(x: 0, y: height - 1, width: width, height: 1)
        hints = Rect(x: 0, y: height - 2, width: width, height: 1)
        let top = headerRows
        let body = max(0, height - headerRows - 2)
        panes = [:]
        separators = []
        switch kind {
        case .wide:
            let c = (width - 2) / 3
            let upper = body * 3 / 5
            let lower = body - upper
            panes[.buckets] = Rect(x: 0, y: top, width: c, height: upper)
            panes[.keys] = Rect(x: c + 1, y: top, width: width - c - 1, height: upper)
            panes[.inFlight] = Rect(x: 0, y: top + upper, width: c, height: lower)
            panes[.record] = Rect(x: c + 1, y: top + upper, width: c, height: lower)
            panes[.events] = Rect(x: 2 * c + 2, y: top + upper, width: width - 2 * c - 2, height: lower)
            separators = [(c, top, body), (2 * c + 1, top + upper, lower)]
        case .standard:
            let left = (width - 1) / 2
            let rx = left + 1
            let rw = width - rx
            let third = body / 3
            let events = body - 2 * third
            panes[.buckets] = Rect(x: 0, y: top, width: left, height: third)
            panes[.keys] = Rect(x: rx, y: top, width: rw, height: third)
            panes[.inFlight] = Rect(x: 0, y: top + third, width: left, height: third)
            panes[.record] = Rect(x: rx, y: top + third, width: rw, height: third)
            panes[.events] = Rect(x: 0, y: top + 2 * third, width: width, height: events)
            separators = [(left, top, 2 * third)]
        case .compact:
            let order: [PaneID] = [.buckets, .inFlight, .keys, .record, .events]
            let shown = order.contains(focus) ? focus : .buckets
            // Events keeps a title and three lines under another focused pane.
            let eventsRows = shown == .events ? 0 : min(4, max(1, body - order.count))
            var heights: [PaneID: Int] = [:]
            for p in order { heights[p] = 1 }
            if shown != .events { heights[.events] = eventsRows }
            let others = order.filter { $0 != shown }.reduce(0) { $0 + heights[$1]! }
            heights[shown] = max(1, body - others)
            var y = top
            for p in order {
                let h = min(heights[p]!, max(0, top + body - y))
                panes[p] = Rect(x: 0, y: y, width: width, height: h)
                y += h
            }
        }
    }
}
