import ArgumentParser
import DHTWire
import NodeAPI

/// The one-shot form of the streaming commands (`discover`, `watch`, `crawl`): a throwaway node
/// joins through the seeds, runs the command, and prints each partial result as it comes — a
/// text line, or with `--json` one JSON object per line — then the final summary (text: its
/// summary line; JSON: the outcome's object without the list the lines already gave).
/// Stateless.
enum StreamingOneShot {
    /// `timeout` is the whole run's deadline; `extraLayers` are created (not joined) besides the
    /// command's layer; `listField` is the final object's field the lines already printed.
    static func run(
        _ command: NodeAPI.NodeCommand, options: OneShotOptions, timeout: Double, extraLayers: [Int] = [], listField: String
    ) async throws {
        let context = command.contextFields(layer: options.layer)
        let seedOptions = options.seedOptions
        if seedOptions.isGenesis {
            throw ValidationError("a one-shot command needs a seed; --seed genesis is only for `dhtop node`")
        }
        let seeds = SeedResolver.resolve(seedOptions.effectiveSeeds)
        let json = options.json
        guard !seeds.isEmpty else { return try OneShot.print(.failure("no seed could be resolved", fields: context), json: json) }
        let session: EphemeralSession
        do {
            session = try EphemeralSession(seeds: seeds, layer: options.layer, extraLayers: extraLayers, timeout: timeout)
        } catch {
            return try OneShot.print(.failure("cannot start a node: \(error)", fields: context), json: json)
        }
        defer { session.close() }
        if let reason = await session.join() { return try OneShot.print(.failure(reason, fields: context), json: json) }
        var outcome = await session.stream(command) { partial in
            Output.line(json ? partial.fields.object.jsonText : partial.summary)
        }
        outcome.fields[listField] = nil
        outcome.detail = []
        try OneShot.print(outcome, json: json)
    }
}
