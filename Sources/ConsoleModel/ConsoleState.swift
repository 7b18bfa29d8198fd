import DHTCore
import DHTWire

/// Everything the console shows, folded from node events, snapshots, keys and time; the panes
/// only read it.
///
/// Contract: a value type changed only by `apply(_:)` (and its helpers) on the UI thread; it
/// never reads a clock, touches the terminal or calls the node. Histories are bounded.
public struct ConsoleState: Sendable {
    /// Settings fixed when the console starts.
    public struct Options: Sendable, Hashable {
        /// Refuse `set` and `delete` at the prompt.
        public var readOnly: Bool
        /// Node inputs kept while paused; older ones are dropped (the next snapshot repairs).
        public var pausedBacklog: Int
        /// The preferences file's `[columns]`: per table, the columns to show (`Preferences`).
        public var columns: [String: [String]]
        public init(readOnly: Bool = false, pausedBacklog: Int = 20_000, columns: [String: [String]] = [:]) {
            self.readOnly = readOnly
            self.pausedBacklog = pausedBacklog
            self.columns = columns
        }
    }

    public var options: Options
    public var header = HeaderModel()
    public var buckets = BucketsPane()
    public var inFlight = InFlightPane()
    public var keys = KeysPane()
    public var record = RecordPane()
    public var events = EventsPane()
    public var prompt = PromptState()
    /// Every command's result (the `L` page), the contacts' recent calls and the lookups' rounds
    /// (the pages Enter opens on a contact or a lookup); see `ConsoleState+Rows`.
    public var results = ResultsLog()
    /// The last crawl this console ran, and when it ended: the header shows it.
    public var lastCrawl: (glance: CrawlGlance, at: Timestamp)?
    public var contactHistory = ContactHistory()
    public var lookupTraces = LookupTraces()
    /// The full-screen page shown over the panes, if any, and its first line shown.
    public var page: DetailPage?
    public var pageScroll = 0
    /// Rows of each pane's content area on this terminal, as the TUI laid them out (for
    /// Home/`g` in Events: the top page); absent until the TUI says.
    public var paneRows: [PaneID: Int] = [:]

    /// The pane that receives arrows, Enter and `/`.
    public var focus: PaneID = .buckets
    /// The layer the panes show.
    public var layer = 0
    /// Terminal size in columns and rows.
    public var width = 80
    public var height = 24
    /// The latest time seen (ticks, snapshots, events).
    public var now = Timestamp(nanoseconds: 0)
    /// Display frozen; node inputs wait in `backlog` and are folded on resume.
    public var paused = false
    public var backlog: [ConsoleInput] = []
    /// Inputs dropped from a full backlog.
    public var backlogDropped = 0
    public var showHelp = false
    /// The first line of the help page shown (see `HelpText`); scroll keys move it while the help is open.
    public var helpScroll = 0
    /// The help box's inner text area for this terminal: two columns of border and one of
    /// padding on each side, the top and bottom edges; at most `helpWidth` columns wide.
    public var helpArea: (width: Int, height: Int) { (min(width, Self.helpWidth) - 4, height - 2) }
    /// The widest the help page gets (wider lines are harder to read).
    public static let helpWidth = 100
    /// Theme names offered by `theme` and tab completion, and the one in use.
    public var themeNames: [String] = []
    public var themeName = "dark"
    /// Whether the node's data is live (`dhtop attach` may lose its node; see `LinkStatus`).
    public var link = LinkStatus.local

    public init(options: Options = Options()) {
        self.options = options
        prompt.readOnly = options.readOnly
    }

    /// The smallest terminal the console draws (a compact layout below 80×24).
    public static let minimumSize = (width: 60, height: 20)

    /// Whether the terminal is below the 60×20 the compact layout needs.
    public var tooSmall: Bool { width < Self.minimumSize.width || height < Self.minimumSize.height }

    /// Whether a table's column is shown under the preferences file's `[columns]` (every column
    /// when it names none for `table`); the layouts filter their columns through it.
    public func showsColumn(_ table: String, titles: [String]) -> Bool {
        Preferences(columns: options.columns).showsColumn(table, titles: titles)
    }

    /// The one-line "too small" notice.
    public var tooSmallMessage: String {
        "terminal too small (\(width)×\(height), needs \(Self.minimumSize.width)×\(Self.minimumSize.height))"
    }

    /// Layers known from snapshots or events, sorted.
    public var knownLayers: [Int] {
        Array(Set(header.layers.keys).union(buckets.layers.keys)).sorted()
    }

    /// Tab completion over the current state.
    public var completer: TabCompleter {
        let addresses = (buckets.layers[layer] ?? []).flatMap(\.contacts).prefix(50).map(\.endpoint.description)
        return TabCompleter(
            themes: themeNames, layers: knownLayers,
            keys: keys.rows(layer: layer).map(\.keyText), addresses: Array(addresses))
    }

    /// The header's network size for `layer`: the node's estimate from its last snapshot, raised
    /// to the contacts the buckets pane holds now plus this node (contact events arrive between
    /// snapshots, so a snapshot's floor can lag the table by a few seconds).
    public func sizeEstimate(layer: Int) -> NetworkSizeEstimate? {
        header.sizeEstimates[layer]?.atLeast(Double(buckets.contactCount(layer: layer) + 1))
    }

    /// The header's guess before the node has an estimate: the buckets pane's own, never fewer
    /// than its contacts plus this node; nil with no contact.
    public func sizeGuess(layer: Int) -> Int? {
        buckets.networkSizeEstimate(layer: layer).map { max($0, buckets.contactCount(layer: layer) + 1) }
    }
}
