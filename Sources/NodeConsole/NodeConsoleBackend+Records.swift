import BitDustRecords
import ConsoleModel
import DHTCore

/// `get --record` and `set --record` at the prompt, through the same flows as the CLI
/// (`RecordReadFlow`, `RecordWriteFlow`), so both show the same checks and texts. The time a
/// record is stamped with comes from the node's injected clock.
extension NodeConsoleBackend {
    func getRecord(_ type: RecordType, parts: [String], completion: @escaping @Sendable (CommandOutcome) -> Void) {
        let flow: RecordReadFlow
        do {
            flow = try RecordReadFlow(type: type, parts: parts, layer: layer)
        } catch {
            return completion(.failure(error.description))
        }
        let clock = node.clock
        node.perform(flow.operation) { result in
            do throws(OperationFailure) {
                completion(CommandOutcome(recordRead: try flow.report(result, now: clock.now().unixSeconds)))
            } catch {
                completion(CommandOutcome(recordFailure: error))
            }
        }
    }

    func setRecord(_ type: RecordType, parts: [String], assignments: [String], progress: @escaping @Sendable (String) -> Void,
                   completion: @escaping @Sendable (CommandOutcome) -> Void) {
        let flow: RecordWriteFlow
        do {
            flow = try RecordWriteFlow(type: type, parts: parts, assignments: assignments, layer: layer,
                                       now: node.clock.now().unixSeconds)
        } catch {
            return completion(CommandOutcome(recordRefused: error))
        }
        progress("reading the current revision of \(flow.key.string)…")
        let node = self.node
        node.perform(flow.readOperation) { read in
            let step: RecordWriteFlow.Step
            do throws(OperationFailure) {
                step = try flow.afterRead(read)
            } catch {
                return completion(CommandOutcome(recordFailure: error))
            }
            switch step {
            case .refused(let error, let revision):
                completion(CommandOutcome(recordRefused: error, networkRevision: revision))
            case .store(let built, let operation, let revision):
                progress(built.revision.map { "storing revision \($0)…" } ?? "storing…")
                node.perform(operation) { stored in
                    completion(CommandOutcome(recordWrite: flow.outcome(of: stored, built: built, networkRevision: revision)))
                }
            }
        }
    }
}
