import Testing
import DHTWire

/// Every captured datagram (docs/protocol.md §17) goes through classify → (reassemble) → decode → encode
/// → frame and must come back byte-for-byte.
@Suite struct CaptureCorpusTests {
    @Test func corpusIsPresent() {
        #expect(Corpus.datagrams.count >= 400, "corpus at \(Corpus.directory.path)")
    }

    @Test func everyCompleteDatagramRoundTrips() throws {
        var roundTripped = 0
        var emptyPayloads = 0
        for d in Corpus.datagrams {
            switch Framing.classify(d.bytes) {
            case .invalid(let reason):
                Issue.record("\(d.file) #\(d.number): invalid header \(reason)")
            case .unframed(let bytes):
                let message = try MessageCodec.decode(bytes)
                #expect(MessageCodec.encode(message) == bytes, "\(d.file) #\(d.number)")
                roundTripped += 1
            case .framed(let header, let payload):
                guard header.total == 1 else { continue }
                if payload.isEmpty {
                    #expect(throws: DecodeError(.empty, at: 0)) { try MessageCodec.decode(Array(payload)) }
                    emptyPayloads += 1
                    continue
                }
                do {
                    let message = try MessageCodec.decode(Array(payload))
                    #expect(d.pythonDecoded, "\(d.file) #\(d.number) decoded here but not by Python")
                    #expect(message.rpcID == header.rpcID)
                    let again = try MessageCodec.datagrams(for: message)
                    #expect(again == [d.bytes], "\(d.file) #\(d.number) did not re-encode byte-exactly")
                    roundTripped += 1
                } catch {
                    #expect(!d.pythonDecoded, "\(d.file) #\(d.number): \(error)")
                }
            }
        }
        #expect(emptyPayloads == 1)  // V21
        #expect(roundTripped >= 200)
        print("corpus: \(roundTripped) complete datagrams round-tripped byte-for-byte")
    }

    @Test func fragmentedMessagesReassembleAndRoundTrip() throws {
        var reassembler = Reassembler<String>()
        var completed = 0
        let now = Timestamp(unixSeconds: 1_795_559_393)
        for d in Corpus.datagrams {
            guard case .framed(let header, let payload) = Framing.classify(d.bytes), header.total > 1 else { continue }
            switch reassembler.receive(header, payload: payload, from: d.source, now: now) {
            case .pending: continue
            case .dropped(let reason): Issue.record("\(d.file) #\(d.number) dropped: \(reason)")
            case .complete(let joined):
                let message = try MessageCodec.decode(joined)
                #expect(message.rpcID == header.rpcID)
                #expect(MessageCodec.encode(message) == joined)
                // Our own framing of it: 8146-byte payload chunks, each datagram <= 8192 bytes.
                let ours = try MessageCodec.datagrams(for: message)
                #expect(ours.count == 3)
                #expect(ours.allSatisfy { $0.count <= Framing.maxDatagramSize })
                completed += 1
            }
        }
        #expect(completed == 2)  // V22 (8146-byte fragments) and V23 (Python's 8212-byte ones)
        #expect(reassembler.pendingSets == 0)
        #expect(reassembler.bufferedBytes == 0)
    }

    @Test func everyDecodedValueReEncodesThroughTheGenericEncoder() throws {
        // Bencode.encode(MessageCodec.value(of:)) must agree with the direct envelope writer.
        for (_, message) in Corpus.completeMessages {
            #expect(Bencode.encode(MessageCodec.value(of: message)) == MessageCodec.encode(message))
        }
    }
}
