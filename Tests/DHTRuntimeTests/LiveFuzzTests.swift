import DHTCore
import DHTRuntime
import DHTWire
import Foundation
import TestKit
import Testing

/// A running node on 127.0.0.1 takes 30,000 hostile datagrams from a plain UDP socket, reads
/// every one, and still answers a real ping afterwards. No clock: the sender waits for the
/// node to have read each batch (an event, with a generous deadline) before sending the next,
/// so the kernel buffer never overflows however slow the machine is. Throughput figures are
/// `dhtop bench`'s.
@Suite(.timeLimit(.minutes(10)))
struct LiveFuzzTests {
    static let target = 30_000
    static let batch = 100

    @Test func survivesHostileTraffic() async throws {
        let node = try Loopback.node(layers: [0, 3])
        defer { node.stop() }
        _ = await node.join()
        let to = Loopback.endpoint(node)
        let sender = try UDPSocket(host: "127.0.0.1", port: 0)
        defer { sender.close() }
        let fuzz = DatagramFuzzer(random: SeededRandom(seed: 0xD47_0F00D))
        var sink = [UInt8](repeating: 0, count: 65_536)
        let before = node.withEngine { $0.counters.datagramsReceived }
        var sent = 0
        while sent < Self.target {
            for _ in 0..<Self.batch {
                let datagram = fuzz.next()
                while !sender.send(datagram, to: to) { try await Task.sleep(for: .microseconds(200)) }
                sent += 1
            }
            // Wait until the node has read the whole batch; give up only when it stops making
            // progress for a minute (the node is stuck, not slow).
            var last = -1
            var still = ContinuousClock.now
            while true {
                sink.withUnsafeMutableBytes { buf in
                    while sender.receive(into: buf) != nil {}  // throw away the node's replies
                }
                let received = node.withEngine { $0.counters.datagramsReceived } - before
                if received >= sent { break }
                if received != last {
                    last = received
                    still = ContinuousClock.now
                }
                if ContinuousClock.now - still > .seconds(60) {
                    Issue.record("the node stopped reading: \(received) of \(sent) datagrams read")
                    return
                }
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        let counters = node.withEngine { $0.counters }
        #expect(counters.datagramsReceived - before == sent, "\(counters.datagramsReceived - before) of \(sent) arrived")
        let dropped = counters.dropped.values.reduce(0, +)
        #expect(dropped > 0, "no drop was counted")
        #expect(counters.dropped.keys.contains("malformed") || counters.dropped.keys.contains("bad_frame"))

        // A real node can still talk to it.
        let peer = try Loopback.node(seeds: [to])
        defer { peer.stop() }
        guard case .pong(let reply) = await peer.perform(.ping(to, layer: 0)) else {
            Issue.record("the fuzzed node no longer answers a ping")
            return
        }
        #expect(reply.id == node.withEngine { $0.nodeID(layer: 0) })
    }
}

/// Makes hostile datagrams: mutated real messages, random bytes, truncations and framed
/// fragments with random totals. Deterministic for its random source; not thread-safe.
final class DatagramFuzzer {
    let random: SeededRandom
    private var originals: [[UInt8]] = []

    init(random: SeededRandom) {
        self.random = random
        for _ in 0..<64 { originals.append(contentsOf: (try? MessageCodec.datagrams(for: realMessage())) ?? []) }
    }

    func next() -> [UInt8] {
        switch random.uniform(10) {
        case 0: return randomBytes(random.uniform(9) == 0 ? 8_192 : random.uniform(300))
        case 1: return Array(pick().prefix(random.uniform(pick().count + 1)))
        case 2: return fragment()
        case 3: return pick()
        default: return mutate(pick())
        }
    }

    private func pick() -> [UInt8] { originals[random.uniform(originals.count)] }

    private func id() -> NodeID { random.nodeID() }

    /// A ping, store, findNode or findValue call on layer 0, 3 or a random layer.
    private func realMessage() -> WireMessage {
        let layer = [0, 0, 3, random.uniform(1100)][random.uniform(4)]
        let key = BValue.bytes(id().hexUTF8)
        let method: String
        let args: [BValue]
        switch random.uniform(4) {
        case 0:
            method = "ping"
            args = []
        case 1:
            method = "store"
            args = [key, .string("{\"type\":\"fuzz\",\"n\":\(random.uniform(1000))}"), .bytes(id().hexUTF8), 0, 600]
        case 2:
            method = "findNode"
            args = [key]
        default:
            method = "findValue"
            args = [key]
        }
        let body: WireMessage.Body = random.uniform(2) == 0 ? .request(method: method, args: args) : .question(method: method, args: args)
        return WireMessage(rpcID: id(), sender: id(), layer: layer, body: body)
    }

    private func randomBytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    /// Flips, overwrites, inserts or deletes a few bytes.
    private func mutate(_ original: [UInt8]) -> [UInt8] {
        var d = original
        for _ in 0..<(1 + random.uniform(4)) where !d.isEmpty {
            let i = random.uniform(d.count)
            switch random.uniform(4) {
            case 0: d[i] ^= UInt8(1 << random.uniform(8))
            case 1: d[i] = [UInt8(ascii: "e"), UInt8(ascii: "d"), UInt8(ascii: "l"), UInt8(ascii: ":"), UInt8(ascii: "9"), 0, 0xff][random.uniform(7)]
            case 2: d.insert(contentsOf: randomBytes(1 + random.uniform(8)), at: i)
            default: d.removeSubrange(i..<min(d.count, i + 1 + random.uniform(16)))
            }
        }
        return d
    }

    /// A framed fragment with a random total and sequence, carrying garbage or part of a message.
    private func fragment() -> [UInt8] {
        let total = UInt16(truncatingIfNeeded: random.uniform(4) == 0 ? random.next() : UInt64(1 + random.uniform(4)))
        let seq = UInt16(truncatingIfNeeded: random.uniform(3) == 0 ? random.next() : UInt64(random.uniform(Int(max(total, 1)))))
        var d = FrameHeader(total: total, seq: seq, rpcID: id()).encoded
        let body = random.uniform(2) == 0 ? Array(pick().dropFirst(FrameHeader.size)) : randomBytes(random.uniform(512))
        d.append(contentsOf: body.prefix(random.uniform(body.count + 1)))
        return d
    }
}
