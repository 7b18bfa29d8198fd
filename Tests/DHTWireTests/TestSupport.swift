import Foundation
import DHTWire
import TestKit

/// Helpers shared by the DHTWire tests: hex conversion and the capture corpus (docs/protocol.md §17).
enum Hex {
    /// Bytes from a hex string; whitespace is ignored. Traps on malformed test data.
    static func bytes(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8.filter { !($0 == 32 || $0 == 10) })
        precondition(digits.count % 2 == 0, "odd hex length")
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            out.append(UInt8(value(digits[i]) << 4 | value(digits[i + 1])))
            i += 2
        }
        return out
    }

    private static func value(_ c: UInt8) -> UInt8 {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: preconditionFailure("bad hex digit \(c)")
        }
    }
}

/// One datagram line of a capture file.
struct CorpusDatagram: Sendable {
    var file: String
    var number: Int
    var source: String
    var bytes: [UInt8]
    /// False when the capture tool itself could not decode the message (V21, the José reply).
    var pythonDecoded: Bool
}

/// The capture corpus at `<repo>/../shared/spec/captures/*.jsonl`, loaded once.
enum Corpus {
    static let directory: URL = RepositoryPaths.sharedURL.appendingPathComponent("spec/captures")

    static let datagrams: [CorpusDatagram] = load()

    private static func load() -> [CorpusDatagram] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var out = [CorpusDatagram]()
        for name in files.sorted() where name.hasSuffix(".jsonl") {
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                let text = String(data: data, encoding: .utf8)
            else { continue }
            for line in text.split(separator: "\n") where !line.isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let hex = object["hex"] as? String
                else { continue }
                let src = (object["src"] as? [Any]).map { $0.map { "\($0)" }.joined(separator: ":") } ?? "?"
                out.append(
                    CorpusDatagram(
                        file: name, number: object["n"] as? Int ?? -1, source: src, bytes: Hex.bytes(hex),
                        pythonDecoded: !(object["decoded"] is String)))
            }
        }
        return out
    }

    /// The framed datagrams whose payload is one whole decodable message.
    static var completeMessages: [(datagram: CorpusDatagram, message: WireMessage)] {
        datagrams.compactMap { d in
            guard case .framed(let h, let payload) = Framing.classify(d.bytes), h.total == 1,
                let m = try? MessageCodec.decode(Array(payload))
            else { return nil }
            return (d, m)
        }
    }
}
