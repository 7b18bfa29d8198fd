import Testing
import DHTWire

/// Prints decoder throughput over the capture corpus: a figure for humans, never an assertion.
@Suite struct ThroughputTests {
    @Test func decodeAndEncodeCorpus() throws {
        let payloads: [[UInt8]] = Corpus.completeMessages.map { Array($0.datagram.bytes[FrameHeader.size...]) }
        #if DEBUG
            let rounds = 50
            let build = "debug"
        #else
            let rounds = 2_000
            let build = "release"
        #endif
        var bytes = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<rounds {
            for p in payloads {
                let message = try MessageCodec.decode(p)
                bytes &+= MessageCodec.encode(message).count
            }
        }
        let elapsed = (clock.now - start).seconds
        let count = rounds * payloads.count
        #expect(bytes > 0)
        print(
            "throughput (\(build)): \(count) decode+encode in \(elapsed) s = \(Int(Double(count) / elapsed)) msgs/s, \(Int(Double(bytes) / elapsed / 1e6)) MB/s"
        )
    }
}
