import ConsoleModel

/// Marks what no longer changes while `dhtop attach` has lost its node: a `STALE` tag at the
/// right end of the title rule of each pane fed by the node (k-buckets, in flight, stored keys).
/// The header's `detached: …` text is drawn by `HeaderRenderer`. Reads the state only.
enum LinkRenderer {
    static let stalePanes: [PaneID] = [.buckets, .inFlight, .keys]
    static let tag = " STALE "

    static func markStale(_ st: ConsoleState, layout: Layout, on s: inout Surface) {
        guard st.link.isStale else { return }
        for pane in stalePanes {
            guard let r = layout.panes[pane], r.height > 0, r.width > tag.count + 12 else { continue }
            s.put(tag, x: r.x + r.width - tag.count - 1, y: r.y, role: .bad)
        }
    }
}
