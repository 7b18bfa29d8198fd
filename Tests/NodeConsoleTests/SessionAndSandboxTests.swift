import ConsoleModel
import DHTCore
import DHTRuntime
import DHTWire
import NodeConsole
import TestKit
import Testing

/// The session's feed (events, snapshots, the join message) and the sandbox's traffic.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct SessionAndSandboxTests {
    @Test func sessionFeedsEventsSnapshotsAndSaysWhenNoSeedAnswers() async throws {
        var options = NodeOptions()
        options.host = "127.0.0.1"
        options.port = 0
        options.seeds = [Endpoint(address: Endpoint.loopback, port: 9)]
        options.engine.rpcTimeout = .milliseconds(300)
        let node = try DHTNode(options: options)
        node.start()
        defer { node.stop() }
        let inputs = Collector<ConsoleInput>()
        let session = ConsoleSession(node: node, snapshotInterval: .milliseconds(200)) { inputs.add($0) }
        session.start()
        defer { session.stop() }
        await session.join()
        let outcome = inputs.all.compactMap { input -> CommandOutcome? in
            if case .commandResult(let o) = input { return o } else { return nil }
        }.first
        #expect(outcome?.succeeded == false)
        #expect(outcome?.summary.contains("no seed answered") == true, "\(String(describing: outcome))")
        #expect(outcome?.summary.contains("--seed") == true && outcome?.summary.contains("--sandbox") == true)
        #expect(
            await eventuallyAsync(timeout: 5) {
                inputs.all.filter { if case .snapshot = $0 { true } else { false } }.count >= 2
            })
        #expect(inputs.all.contains { if case .events(let e, _) = $0 { !e.isEmpty } else { false } })
    }

    @Test func sandboxStartsNodesAndKeepsTrafficGoing() async throws {
        let sandbox = try await Sandbox.start(count: 4)
        defer { sandbox.stop() }
        #expect(sandbox.endpoints.count == 4 && sandbox.runningNodes.count == 4)
        #expect(sandbox.endpoints.allSatisfy { $0.address == Endpoint.loopback })

        let watcher = try Loopback.node(seeds: sandbox.endpoints, validate: false)
        defer { watcher.stop() }
        let inputs = Collector<ConsoleInput>()
        let session = ConsoleSession(node: watcher) { inputs.add($0) }
        session.start()
        defer { session.stop() }
        await session.join()

        sandbox.startTraffic(interval: .milliseconds(100), churnEvery: 6)
        var sawNodeDown = false
        let busy = await eventuallyAsync(timeout: 60) {
            if sandbox.runningNodes.count < 4 { sawNodeDown = true }
            let stored = inputs.all.contains { input in
                guard case .events(let list, _) = input else { return false }
                return list.contains { if case .valueStored = $0 { true } else { false } }
            }
            return stored && sawNodeDown && sandbox.runningNodes.count == 4
        }
        #expect(busy, "stores seen, a node left and came back")
        #expect(watcher.withEngine { $0.contacts(layer: 0).count } >= 3)
        sandbox.stop()
        #expect(sandbox.runningNodes.isEmpty)
    }
}
