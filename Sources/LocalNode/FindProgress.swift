import DHTCore
import DHTRuntime
import DHTWire
import Dispatch
import NodeAPI
import Synchronization

extension LocalNodeBackend {
    /// findNode, reporting each round from the node's `lookupProgressed` events for this lookup.
    func find(
        _ target: NodeID, layer: Int, context: JSONFields, progress: @escaping @Sendable (String) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let tracker = LookupTracker(target: target, layer: layer)
        let queue = DispatchQueue(label: "dhtop.console.find")
        let subscription = node.events.subscribe(queue: queue, limit: 4096) { events in
            for line in tracker.lines(for: events.map(\.event)) { progress(line) }
        }
        node.perform(.findNode(target, layer: layer)) { result in
            // Let the progress already queued go out first, then finish.
            queue.async {
                subscription.cancel()
                completion(CommandOutcome(result, context: context))
            }
        }
    }
}

/// Follows one findNode lookup through the event stream: claims the first `lookupStarted` for
/// its target and then turns that lookup's `lookupProgressed` events into progress lines.
/// Thread-safe (one lock); reads no clock.
final class LookupTracker: Sendable {
    let target: NodeID
    let layer: Int
    private let claimed = Mutex<LookupID?>(nil)

    init(target: NodeID, layer: Int) {
        self.target = target
        self.layer = layer
    }

    /// Progress lines for the events of one batch.
    func lines(for events: [NodeEvent]) -> [String] {
        var out: [String] = []
        for event in events {
            switch event {
            case .lookupStarted(let s) where s.purpose == .findNode && s.target == target && s.layer == layer:
                claimed.withLock { if $0 == nil { $0 = s.id } }
            case .lookupProgressed(let s) where claimed.withLock({ $0 == s.id }):
                out.append(Self.line(s))
            default:
                break
            }
        }
        return out
    }

    /// `round 2: 7 RPCs, 5 answered, 1 timed out, prefix 12 bits`.
    static func line(_ s: LookupSummary) -> String {
        var text = "round \(s.rounds): \(s.rpcsSent) RPC\(s.rpcsSent == 1 ? "" : "s"), \(s.responders) answered"
        if s.timeouts > 0 { text += ", \(s.timeouts) timed out" }
        if let p = s.closestCommonPrefix { text += ", prefix \(p) bits" }
        return text
    }
}

/// Runs work off the node's queue. Stateless; thread-safe.
enum DispatchHelper {
    static func background(_ body: @escaping @Sendable () -> Void) {
        DispatchQueue.global(qos: .userInitiated).async(execute: body)
    }
}
