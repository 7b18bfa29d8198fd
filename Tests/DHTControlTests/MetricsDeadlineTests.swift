import DHTControl
import Foundation
import TestKit
import Testing
#if canImport(Glibc)
    import Glibc
#endif

/// Slowloris on the metrics endpoint: clients that trickle bytes are closed at their deadline
/// however often they send, the oldest make room for new ones, and scrapes are answered
/// throughout.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct MetricsDeadlineTests {
    @Test func tricklingClientsAreClosedAndScrapesStillSucceed() async throws {
        var limits = MetricsServer.Limits()
        limits.requestTimeout = .milliseconds(400)
        limits.maxConnections = 8
        limits.checkInterval = .milliseconds(20)
        let scrapes = Counter()
        let metrics = try MetricsServer(port: 0, limits: limits) {
            scrapes.add()
            return "dhtop_up 1\n"
        }
        metrics.start()
        defer { metrics.stop() }

        // Six slow clients: each sends a byte every 100 ms, far inside any per-read timeout.
        var slow: [RawSocket] = []
        for _ in 0..<6 {
            let s = try RawSocket.tcp(port: metrics.port)
            #expect(s.send("GET /metrics HTTP/1.0\r\nX-Slow: "))
            slow.append(s)
        }
        #expect(eventually { metrics.openConnections == 6 })
        let (status, body) = try StatusAndMetricsTests.get("/metrics", port: metrics.port)
        #expect(status.hasPrefix("HTTP/1.0 200"), "\(status)")
        #expect(body == "dhtop_up 1\n")
        var rounds = 0
        while rounds < 200 && !slow.allSatisfy(\.peerClosed) {
            for s in slow where !s.peerClosed { s.send("a") }
            rounds += 1
            usleep(100_000)
        }
        let allClosed = slow.allSatisfy { $0.peerClosed }
        #expect(allClosed, "slow clients kept open for \(rounds) rounds")
        #expect(metrics.timedOutConnections >= 6)
        #expect(scrapes.value == 1)

        // More slow clients than the cap: the oldest go first and a scrape still gets in.
        var more: [RawSocket] = []
        for _ in 0..<12 {
            let s = try RawSocket.tcp(port: metrics.port)
            s.send("GET /metr")
            more.append(s)
        }
        #expect(eventually { more.prefix(4).allSatisfy(\.peerClosed) })
        #expect(metrics.evictedConnections >= 4)
        #expect(metrics.openConnections <= 8)
        let (again, _) = try StatusAndMetricsTests.get("/metrics", port: metrics.port)
        #expect(again.hasPrefix("HTTP/1.0 200"), "\(again)")
        #expect(scrapes.value == 2)
        withExtendedLifetime(more) {}
    }

    @Test func overLongRequestGetsAnAnswerAndIsClosed() throws {
        var limits = MetricsServer.Limits()
        limits.maxRequestBytes = 1_024
        let metrics = try MetricsServer(port: 0, limits: limits) { "x 1\n" }
        metrics.start()
        defer { metrics.stop() }
        let s = try RawSocket.tcp(port: metrics.port)
        s.send("GET /metrics HTTP/1.0\r\n" + String(repeating: "a", count: 4_000))
        let (text, closed) = s.readToEnd()
        #expect(closed)
        #expect(text.hasPrefix("HTTP/1.0 431"), "\(text)")
    }
}
