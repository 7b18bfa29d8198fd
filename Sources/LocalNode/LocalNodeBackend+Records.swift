import BitDustRecords
import DHTCore
import NodeAPI

/// `get --record` and `set --record`, through the same flows everywhere (`RecordReadFlow`,
/// `RecordWriteFlow`), so every caller shows the same checks and texts. The time a record is
/// stamped with comes from the node's injected clock.
extension LocalNodeBackend {
    func getRecord(
        _ type: RecordType, parts: [String], layer: Int, context: JSONFields,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let flow: RecordReadFlow
        do {
            flow = try RecordReadFlow(type: type, parts: parts, layer: layer)
        } catch {
            return completion(.failure(error.description, fields: context))
        }
        let clock = node.clock
        // As `get`: a read that met no copy looks once more, after meeting other parts of the network.
        findValueTwice(flow.operation, key: flow.key.hash, layer: layer) { result, lookups in
            do throws(OperationFailure) {
                var outcome = CommandOutcome(recordRead: try flow.report(result, now: clock.now().unixSeconds), context: context)
                outcome.fields["lookups"] = .int(lookups)
                completion(outcome)
            } catch {
                var outcome = CommandOutcome(recordFailure: error, context: context)
                outcome.fields["lookups"] = .int(lookups)
                completion(outcome)
            }
        }
    }

    func setRecord(
        _ type: RecordType, parts: [String], assignments: [String], options: NodeCommand.RecordWriteOptions,
        layer: Int, context: JSONFields, progress: @escaping @Sendable (String) -> Void,
        completion: @escaping @Sendable (CommandOutcome) -> Void
    ) {
        let flow: RecordWriteFlow
        do {
            flow = try RecordWriteFlow(
                type: type, parts: parts, assignments: assignments, layer: layer,
                expireSeconds: options.expireSeconds, now: node.clock.now().unixSeconds,
                nickname: options.nickname)
        } catch {
            return completion(CommandOutcome(recordRefused: error, context: context))
        }
        let node = self.node
        let store: @Sendable (RecordWriteFlow.Step) -> Void = { step in
            switch step {
            case .refused(let error, let revision):
                completion(CommandOutcome(recordRefused: error, networkRevision: revision, context: context))
            case .store(let built, let operation, let revision):
                progress(built.revision.map { "storing revision \($0)…" } ?? "storing…")
                node.perform(operation) { stored in
                    completion(
                        CommandOutcome(
                            recordWrite: flow.outcome(of: stored, built: built, networkRevision: revision),
                            context: context))
                }
            }
        }
        guard options.readFirst else { return store(flow.blindStore) }
        progress("reading the current revision of \(flow.key.string)…")
        node.perform(flow.readOperation) { read in
            do throws(OperationFailure) {
                store(try flow.afterRead(read))
            } catch {
                completion(CommandOutcome(recordFailure: error, context: context).prefixed("cannot read the current value: "))
            }
        }
    }
}
