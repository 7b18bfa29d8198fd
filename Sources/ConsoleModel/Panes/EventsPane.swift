import DHTCore
import DHTWire

/// The Events pane: the node's event stream as sanitized one-line entries, bounded, with a text
/// filter and a scroll position. A value type owned by `ConsoleState`.
public struct EventsPane: Sendable {
    /// One line of the stream.
    public struct Line: Sendable, Hashable {
        public var at: Timestamp
        public var category: EventCategory
        /// Sanitized text.
        public var text: String
    }

    public var lines = RingBuffer<Line>(capacity: 2000)
    /// Case-insensitive substring; empty shows everything.
    public var filter = ""
    /// Show the lines that do NOT match `filter` (`!`).
    public var filterInverted = false
    /// Lines scrolled up from the newest; 0 follows the tail.
    public var scroll = 0

    public init() {}

    /// Lines passing the filter, oldest first.
    public var visible: [Line] {
        let f = filter.lowercased()
        let all = lines.elements
        let inverted = filterInverted
        return f.isEmpty
            ? all : all.filter { ($0.text.lowercased().contains(f) || $0.category.rawValue.contains(f)) != inverted }
    }

    /// The `height` lines to show, honouring `scroll`.
    public func window(height: Int) -> [Line] {
        let v = visible
        // Scrolled past the oldest line (`g` before the pane's height is known): the first page.
        let end = max(min(height, v.count), v.count - scroll)
        return Array(v[max(0, end - height)..<end])
    }

    /// Appends an event.
    public mutating func append(_ event: NodeEvent, at now: Timestamp) {
        let (category, text) = EventDescriber.describe(event)
        append(Line(at: now, category: category, text: Sanitizer.clean(text)))
    }

    /// Appends a console-generated line (command results).
    public mutating func append(_ line: Line) {
        lines.append(line)
        if scroll > 0 { scroll += 1 }
    }
}

/// The coloring class of an event line. A value type.
public enum EventCategory: String, Sendable, Hashable {
    case routing, rpc, served, lookup, record, drop, layer, command, error
}
