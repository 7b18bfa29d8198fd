import DHTCore
import DHTRuntime
import DHTWire
import NodeAPI

extension LocalNodeBackend {
    /// Runs `command` like `run`, handing each partial result of a streaming command (a provider
    /// found, a node crawled, a watched change) to `partial` as a `CommandOutcome` of its own —
    /// its `summary` is the progress line, its `fields` the JSON line (`--json` prints them).
    /// Other commands report their progress lines as outcomes with a summary only.
    public func runStreaming(
        _ command: NodeCommand, layer: Int, partial: @escaping @Sendable (CommandOutcome) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let context = command.contextFields(layer: layer)
        let node = self.node
        switch command {
        case .discover(let options):
            let name = DiscoverOptions.requestName(layer: layer)
            Task {
                let result = await Discover.run(node: node, layer: layer, options: options) { provider in
                    partial(CommandOutcome(succeeded: true, summary: provider.line(name: name), fields: JSONFields(provider.json(name: name).members)))
                }
                switch result {
                case .success(let report): completion(CommandOutcome(discovered: report, context: context))
                case .failure(let f): completion(CommandOutcome(.failed(f), context: context))
                }
            }
        case .crawl(let options):
            Task {
                let result = await Crawl.run(node: node, layer: layer, options: options) { crawled in
                    partial(CommandOutcome(succeeded: crawled.responsive, summary: crawled.line, fields: JSONFields(crawled.json.members)))
                }
                switch result {
                case .success(let report): completion(CommandOutcome(crawled: report, context: context))
                case .failure(let f): completion(CommandOutcome(.failed(f), context: context))
                }
            }
        case .watch(let target, let options):
            guard let key = target.id else {
                return completion(.failure("the record parts do not make a key", fields: context))
            }
            Task {
                let report = await Watch.run(node: node, key: key, layer: layer, options: options) { change in
                    partial(CommandOutcome(succeeded: change.kind != .gone, summary: change.line, fields: JSONFields(change.json.members)))
                }
                completion(CommandOutcome(watched: report, context: context))
            }
        default:
            run(command, layer: layer, progress: { partial(CommandOutcome(succeeded: true, summary: $0)) }, completion: completion)
        }
    }
}
