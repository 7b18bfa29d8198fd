@testable import DHTBench
import DHTCore
import DHTRuntime
import DHTStorage
import DHTWire
import Foundation
import TestKit
import Testing

/// The load generator behind `dhtop bench`'s rates: every answer it counts matches a request it
/// sent (so a rate is answers, not datagrams), error replies are told apart, a target that never
/// answers ends the run on time, and a durable store it counts as answered is on disk.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct LoadGeneratorTests {
    @Test func everyAnswerCountedMatchesARequestSent() throws {
        let echo = try EchoFloor()
        defer { echo.stop() }
        var generator = LoadGenerator(target: echo.endpoint)
        generator.duration = 0.5
        generator.outstanding = 16
        var requests = 0
        let result = try generator.run { i in
            requests = i + 1
            return ("ping", [])
        }
        #expect(result.answered > 100, "the echo answered \(result.answered)")
        #expect(result.errors == 0)
        // The window stays full: all but the last `outstanding` requests were answered.
        #expect(result.answered <= requests && requests - result.answered <= generator.outstanding)
        #expect(result.latenciesMicros.count == min(result.answered, 1 << 16))
    }

    @Test func errorRepliesAreCountedApart() async throws {
        let node = try Loopback.node()
        defer { node.stop() }
        var generator = LoadGenerator(target: Loopback.endpoint(node))
        generator.duration = 0.5
        // `store` without its arguments: the node answers every one with an error.
        let result = try generator.run { _ in ("store", []) }
        #expect(result.errors > 10 && result.answered == 0, "\(result.errors) errors, \(result.answered) answers")
    }

    @Test func aTargetThatNeverAnswersEndsTheRunOnTime() throws {
        let silent = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { silent.close() }
        var generator = LoadGenerator(target: Endpoint(address: Endpoint.loopback, port: silent.local.port))
        generator.duration = 0.5
        let started = Date()
        let result = try generator.run { _ in ("ping", []) }
        #expect(result.answered == 0 && result.errors == 0)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func storesCountedAsAnsweredAreOnDisk() async throws {
        let dir = Loopback.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = try await NodeBenchmarks().startNode(dataDirectory: dir)
        var generator = LoadGenerator(target: Loopback.endpoint(node))
        generator.duration = 0.5
        let result = try generator.run { i in
            ("store", [.bytes(NodeBenchmarks.storeKey(i)), .string("{\"type\":\"skip_validation\",\"i\":\(i)}")])
        }
        node.stop()
        #expect(result.answered > 0 && result.errors == 0)
        let db = try NodeDatabase(directory: dir)
        defer { db.close() }
        #expect(try db.recordCount >= result.answered)
    }

    /// A request encoded once and sent under fresh ids (`run(method:args:)`): the node decodes
    /// every copy as the request given (a findValue is answered, a ping with an argument is a
    /// TypeError), and every answer matches one id sent, so both places the id is written in
    /// (the frame header and the envelope) carry the fresh one.
    @Test func repeatedRequestsGoOutUnderFreshIDsAsGiven() async throws {
        let node = try Loopback.node()
        defer { node.stop() }
        var generator = LoadGenerator(target: Loopback.endpoint(node))
        generator.duration = 0.5
        generator.outstanding = 16
        let found = try generator.run(method: "findValue", args: [.string(DHTKey.hash("absent").hex)])
        #expect(found.answered > 100 && found.errors == 0, "\(found.answered) answers, \(found.errors) errors")
        let refused = try generator.run(method: "ping", args: ["x"])
        #expect(refused.errors > 100 && refused.answered == 0, "\(refused.answered) answers, \(refused.errors) errors")
    }
}
