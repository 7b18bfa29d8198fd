import DHTControl
import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing

/// Issue 13: an idle control socket costs the node nothing. With nobody subscribed the server
/// does not listen to the node's events, so the engine builds none and no datagram causes a hop
/// to the server's queue; a subscriber turns them on, and they go off again after it leaves.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct IdleControlSocketTests {
    @Test func eventsAreBuiltOnlyWhileSomeoneIsSubscribed() async throws {
        let f = try await ControlFixture()
        defer { f.stop() }
        #expect(await f.pingFromPeer())
        #expect(!f.node.events.hasObservers)
        #expect(!f.node.withEngine { $0.emitsEvents })

        // Connected and asking for status is not subscribing.
        let idle = try ControlClient.connect(path: f.socketPath)
        idle.send(.status)
        _ = try idle.waitFor { if case .status(let s) = $0 { return s } else { return nil } }
        #expect(await f.pingFromPeer())
        #expect(!f.node.events.hasObservers)
        #expect(!f.node.withEngine { $0.emitsEvents })

        let watcher = try ControlClient.connect(path: f.socketPath)
        watcher.send(.subscribe)
        _ = try watcher.waitForSnapshot()
        #expect(eventually { f.node.events.hasObservers })
        #expect(await f.pingFromPeer())
        _ = try watcher.waitForEvents(where: isServedPing)
        #expect(f.node.withEngine { $0.emitsEvents })

        // The subscriber leaves: the next events find nobody and the server stops listening.
        watcher.close()
        #expect(eventually { f.server.clientCount == 1 })
        var off = false
        for _ in 0..<200 where !off {
            _ = await f.pingFromPeer()
            off = !f.node.events.hasObservers
        }
        #expect(off)
        #expect(await f.pingFromPeer())
        #expect(!f.node.withEngine { $0.emitsEvents })
        idle.close()
    }
}
