import NodeAPI
import DHTControl
import DHTCore
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Clients that never finish a hello, dribble, idle, send an over-long line or open too many
/// connections: each is closed (with a reason when the socket takes it) and its slot freed,
/// while the node keeps answering UDP pings and a well-behaved client still gets in.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct ControlDeadlineTests {
    @Test func silentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        let f = try await ControlFixture { $0.limits = quickLimits() }
        defer { f.stop() }
        let silent = try RawSocket.unix(f.socketPath)
        #expect(eventually { f.server.clientCount == 1 })
        let (text, closed) = silent.readToEnd()
        #expect(closed)
        #expect(text.contains("no hello within"), "\(text)")
        #expect(eventually { f.server.clientCount == 0 })
        #expect(await f.pingFromPeer())
    }

    @Test func dribbledHelloIsClosedAtTheDeadlineNotKeptAliveByEachByte() async throws {
        let f = try await ControlFixture { $0.limits = quickLimits() }
        defer { f.stop() }
        let slow = try RawSocket.unix(f.socketPath)
        // One byte every 50 ms of a line that never ends: each byte arrives well inside the
        // deadline, so only a deadline counted from accept can close it.
        var sent = 0
        while sent < 400 && !slow.peerClosed {
            guard slow.send("x") else { break }
            sent += 1
            usleep(50_000)
        }
        #expect(sent < 400, "the server kept a dribbling client for 400 bytes")
        let (text, closed) = slow.readToEnd()
        #expect(closed)
        #expect(text.contains("no hello within"), "\(text)")
        #expect(eventually { f.server.clientCount == 0 })
        #expect(await f.pingFromPeer())
    }

    @Test func idleUnsubscribedClientIsClosedButASubscriberStays() async throws {
        let f = try await ControlFixture { $0.limits = quickLimits(handshake: .seconds(30)) }
        defer { f.stop() }
        let subscriber = try ControlClient.connect(path: f.socketPath)
        defer { subscriber.close() }
        subscriber.send(.subscribe)
        _ = try subscriber.waitForSnapshot()
        let idle = try RawSocket.unix(f.socketPath)
        #expect(idle.send(helloLine))
        let (text, closed) = idle.readToEnd()
        #expect(closed)
        #expect(text.contains("\"welcome\"") && text.contains("idle for"), "\(text)")
        // The subscriber, silent for as long, is still attached and served.
        #expect(eventually { f.server.clientCount == 1 })
        _ = try subscriber.waitForSnapshot()
        #expect(await f.pingFromPeer())
        _ = try subscriber.waitForEvents(where: isServedPing)
    }

    @Test func overLongLineIsRefusedAndTheConnectionClosed() async throws {
        let f = try await ControlFixture { $0.limits = quickLimits(handshake: .seconds(30), idle: .seconds(30)) }
        defer { f.stop() }
        let big = try RawSocket.unix(f.socketPath)
        #expect(big.send(helloLine))
        let chunk = [UInt8](repeating: 0x61, count: 64 << 10)
        var total = 0
        while total <= ControlProtocol.maxClientLineBytes, big.send(chunk) { total += chunk.count }
        #expect(total > ControlProtocol.maxClientLineBytes)
        let (text, closed) = big.readToEnd()
        #expect(closed)
        #expect(text.contains("line too long"), "\(text)")
        #expect(eventually { f.server.clientCount == 0 })
        // The same before hello: refused and closed at once, no deadline needed.
        let early = try RawSocket.unix(f.socketPath)
        #expect(early.send("{\"type\":\"status\"}\n"))
        let (earlyText, earlyClosed) = early.readToEnd()
        #expect(earlyClosed && earlyText.contains("first message must be hello"), "\(earlyText)")
        #expect(await f.pingFromPeer())
    }

    @Test func halfHandshakesPastTheCapCannotLockOutAConsole() async throws {
        let f = try await ControlFixture {
            $0.limits = quickLimits(handshake: .seconds(60), idle: .seconds(60))
            $0.limits.maxClients = 6
            $0.limits.maxPendingHandshakes = 3
        }
        defer { f.stop() }
        var half: [RawSocket] = []
        for _ in 0..<12 {
            let s = try RawSocket.unix(f.socketPath)
            #expect(s.send("{\"type\":\"hel"))
            half.append(s)
        }
        #expect(eventually { half.filter(\.peerClosed).count == 9 })
        #expect(f.server.clientCount <= 6)
        let dropped = half[0].readToEnd()
        #expect(dropped.closed && dropped.text.contains("waiting for hello"), "\(dropped.text)")
        #expect(!half[11].peerClosed)
        // Consoles still get in, up to the cap: each one past the pending share or past the
        // cap pushes out the oldest half-handshake, never an attached console.
        var consoles: [ControlClient] = []
        defer { for c in consoles { c.close() } }
        for _ in 0..<6 { consoles.append(try ControlClient.connect(path: f.socketPath)) }
        #expect(consoles[0].nodeVersion == "test")
        let allDropped = eventually { half.allSatisfy(\.peerClosed) }
        #expect(allDropped, "\(half.map(\.peerClosed)) clients \(f.server.clientCount)")
        #expect(eventually { f.server.clientCount == 6 })
        // Six consoles hold every slot now; a seventh is told why.
        let over = try RawSocket.unix(f.socketPath)
        let refused = over.readToEnd()
        #expect(refused.closed && refused.text.contains("refused: 6 clients"), "\(refused.text)")
        #expect(await f.pingFromPeer())
    }
}
