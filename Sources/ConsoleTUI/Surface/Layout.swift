import ConsoleModel

/// Where each pane goes for a terminal size: a header, pane rectangles, and the prompt row.
/// At 80×24 two columns (buckets|keys, in flight|record, events across); from 160 columns three
/// columns with a taller events pane. Pure; a value type.
public struct Layout: Sendable, Hashable {
    public var header: Rect
    public var panes: [PaneID: Rect]
    /// Column separators as (x, y range).
    public var separators: [(x: Int, y: Int, height: Int)]
    public var prompt: Rect

    public static func == (a: Layout, b: Layout) -> Bool { a.header == b.header && a.panes == b.panes && a.prompt == b.prompt }
    public func hash(into h: inout Hasher) {
        h.combine(header)
        h.combine(prompt)
    }

    /// Rows of each pane's content (below its title rule) at this size.
    public static func contentRows(width: Int, height: Int) -> [PaneID: Int] {
        Layout(width: width, height: height).panes.mapValues { max(0, $0.height - 1) }
    }

    public init(width: Int, height: Int) {
        let headerRows = height >= 40 ? 3 : 2
        header = Rect(x: 0, y: 0, width: width, height: headerRows)
        prompt = Rect(x: 0, y: height - 1, width: width, height: 1)
        let top = headerRows
        let body = height - headerRows - 1
        panes = [:]
        separators = []
        if width >= 160 {
            let c = (width - 2) / 3
            let xs = [0, c + 1, 2 * c + 2]
            let w3 = width - xs[2]
            let upper = body * 3 / 5
            panes[.buckets] = Rect(x: xs[0], y: top, width: c, height: upper)
            panes[.inFlight] = Rect(x: xs[1], y: top, width: c, height: upper)
            panes[.keys] = Rect(x: xs[2], y: top, width: w3, height: upper)
            panes[.record] = Rect(x: 0, y: top + upper, width: c, height: body - upper)
            panes[.events] = Rect(x: xs[1], y: top + upper, width: width - xs[1], height: body - upper)
            separators = [(c, top, body), (2 * c + 1, top, upper)]
        } else {
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
        }
    }
}
