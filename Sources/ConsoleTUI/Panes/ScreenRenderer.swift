import ConsoleModel

/// Draws a whole `ConsoleState` into a fresh `Surface`: header, panes, separators, prompt and
/// overlays, or only the "terminal too small" notice (or the help, when open). Pure: reads the state, returns a frame.
public enum ScreenRenderer {
    /// A drawn frame and where the terminal cursor should be (nil = hidden).
    public struct Frame: Sendable, Hashable {
        public var surface: Surface
        public var cursor: Cursor?
        /// Where each pane was drawn (empty for the notice), for the mouse.
        public var panes: [PaneID: Rect] = [:]
        /// The key hints drawn, for a click on one.
        var hints: [HintBarRenderer.Target] = []
        public struct Cursor: Sendable, Hashable {
            public var x: Int
            public var y: Int
        }
    }

    public static func render(_ st: ConsoleState, glyphs: Glyphs = .unicode) -> Frame {
        var s = Surface(width: st.width, height: st.height, glyphs: glyphs)
        if st.page != nil {
            PageRenderer.draw(st, on: &s)
            return Frame(surface: s, cursor: nil)
        }
        if st.tooSmall && st.showHelp {
            HelpRenderer.draw(st, on: &s)
            return Frame(surface: s, cursor: nil)
        }
        if st.tooSmall {
            let msg = st.tooSmallMessage
            let y = st.height / 2
            let x = max(0, (st.width - msg.count) / 2)
            s.put(msg, x: x, y: y, role: .warning)
            return Frame(surface: s, cursor: nil)
        }
        let layout = Layout(width: st.width, height: st.height, focus: st.focus)
        HeaderRenderer.draw(st, in: layout.header, on: &s)
        if let r = layout.panes[.buckets] { BucketsRenderer.draw(st, in: r, on: &s) }
        if let r = layout.panes[.inFlight] { InFlightRenderer.draw(st, in: r, on: &s) }
        if let r = layout.panes[.keys] { KeysRenderer.draw(st, in: r, on: &s) }
        if let r = layout.panes[.record] { RecordRenderer.draw(st, in: r, on: &s) }
        if let r = layout.panes[.events] { EventsRenderer.draw(st, in: r, on: &s) }
        LinkRenderer.markStale(st, layout: layout, on: &s)
        for sep in layout.separators {
            for y in sep.y..<(sep.y + sep.height) { s[sep.x, y] = Cell(glyphs.vertical, role: .border) }
        }
        let hints = HintBarRenderer.draw(st, in: layout.hints, on: &s)
        let cursor = PromptRenderer.draw(st, in: layout.prompt, on: &s)
        if st.showHelp { HelpRenderer.draw(st, on: &s) }
        var panes = layout.panes
        panes[.prompt] = layout.prompt
        return Frame(surface: s, cursor: cursor.map { Frame.Cursor(x: $0.x, y: $0.y) }, panes: panes, hints: hints)
    }
}
