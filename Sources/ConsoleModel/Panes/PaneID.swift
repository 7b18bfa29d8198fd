/// The focusable panes, numbered as the `1`–`6` keys select them. A value type.
public enum PaneID: Int, Sendable, Hashable, CaseIterable {
    case buckets = 1, inFlight, keys, record, events, prompt

    /// The title drawn on the pane.
    public var title: String {
        switch self {
        case .buckets: return "K-buckets"
        case .inFlight: return "In flight"
        case .keys: return "Stored keys"
        case .record: return "Record"
        case .events: return "Events"
        case .prompt: return "Prompt"
        }
    }

    /// The next pane for Tab (or the previous one for Shift-Tab).
    public func cycled(forward: Bool) -> PaneID {
        let n = PaneID.allCases.count
        let raw = (rawValue - 1 + (forward ? 1 : n - 1)) % n + 1
        return PaneID(rawValue: raw)!
    }
}
