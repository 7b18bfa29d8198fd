import NodeAPI
import DHTCore
import FoundationEssentials

/// One snapshot on its way to one client, as lines produced on demand: `snapshot_begin` (the
/// snapshot without its records), `snapshot_part`s of about `partBytes` each, `snapshot_end`.
///
/// Contract: a value type used on one connection's queue; `nextLine` encodes only the next
/// line, so a client that reads nothing costs one part, never the whole snapshot. Holding the
/// snapshot keeps its record arrays (copy-on-write, shared with the node) alive. Reads no clock.
public struct SnapshotStream {
    public let seq: Int
    private let snapshot: NodeSnapshot
    private let partBytes: Int
    private var begun = false
    private var layer = 0
    private var record = 0
    private var finished = false
    private let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return e
    }()

    public init(seq: Int, snapshot: NodeSnapshot, partBytes: Int) {
        self.seq = seq
        self.snapshot = snapshot
        self.partBytes = max(1, partBytes)
    }

    /// The next line (newline included), nil once `snapshot_end` was produced.
    public mutating func nextLine() -> [UInt8]? {
        if finished { return nil }
        if !begun {
            begun = true
            var header = snapshot
            for i in header.layers.indices { header.layers[i].records = [] }
            return ControlProtocol.line(ServerMessage.snapshotBegin(seq: seq, header, recordCounts: snapshot.layers.map(\.records.count)))
        }
        while layer < snapshot.layers.count && record >= snapshot.layers[layer].records.count {
            layer += 1
            record = 0
        }
        guard layer < snapshot.layers.count else {
            finished = true
            return ControlProtocol.line(ServerMessage.snapshotEnd(seq: seq))
        }
        let records = snapshot.layers[layer].records
        var line = Array("{\"type\":\"snapshot_part\",\"seq\":\(seq),\"layer\":\(layer),\"records\":[".utf8)
        let prefix = line.count
        while record < records.count {
            guard let encoded = try? encoder.encode(Wire.Record(records[record])) else {
                record += 1
                continue
            }
            if line.count > prefix && line.count + encoded.count + 1 > partBytes { break }
            if line.count > prefix { line.append(0x2c) }
            line.append(contentsOf: encoded)
            record += 1
        }
        line.append(contentsOf: Array("]}\n".utf8))
        return line
    }
}

/// Puts a streamed snapshot back together on the client, within `maxBytes` of part lines.
///
/// Contract: a value type used on one queue; pure. Parts of another `seq`, a part before its
/// begin, a layer index out of range or more records than announced are protocol errors.
public struct SnapshotAssembler: Sendable {
    public let maxBytes: Int
    private var seq: Int?
    private var snapshot: NodeSnapshot?
    private var expected: [Int] = []
    private var bytes = 0

    public init(maxBytes: Int) { self.maxBytes = maxBytes }

    /// Whether a snapshot is half received.
    public var inProgress: Bool { snapshot != nil }

    public mutating func begin(seq: Int, _ header: NodeSnapshot, recordCounts: [Int], lineBytes: Int) throws(ControlError) {
        guard recordCounts.count == header.layers.count, recordCounts.allSatisfy({ $0 >= 0 }) else {
            throw ControlError("bad snapshot_begin: \(recordCounts.count) record counts for \(header.layers.count) layers")
        }
        self.seq = seq
        snapshot = header
        expected = recordCounts
        bytes = 0
        try account(lineBytes)
    }

    public mutating func part(seq: Int, layer: Int, _ records: [StoredRecord], lineBytes: Int) throws(ControlError) {
        guard var s = snapshot, seq == self.seq else { throw ControlError("snapshot_part \(seq) without its snapshot_begin") }
        guard s.layers.indices.contains(layer) else { throw ControlError("snapshot_part for layer index \(layer) of \(s.layers.count)") }
        try account(lineBytes)
        guard records.count <= expected[layer] - s.layers[layer].records.count else {
            throw ControlError("snapshot \(seq) has more records on layer index \(layer) than the \(expected[layer]) announced")
        }
        snapshot = nil
        s.layers[layer].records.append(contentsOf: records)
        snapshot = s
    }

    /// The whole snapshot.
    public mutating func end(seq: Int) throws(ControlError) -> NodeSnapshot {
        guard let s = snapshot, seq == self.seq else { throw ControlError("snapshot_end \(seq) without its snapshot_begin") }
        snapshot = nil
        self.seq = nil
        guard s.layers.map(\.records.count) == expected else {
            throw ControlError("snapshot \(seq) ended with \(s.layers.map(\.records.count)) records, \(expected) announced")
        }
        return s
    }

    private mutating func account(_ lineBytes: Int) throws(ControlError) {
        bytes = bytes > maxBytes - lineBytes ? maxBytes + 1 : bytes + lineBytes
        if bytes > maxBytes {
            snapshot = nil
            throw ControlError("the node's snapshot is over this client's \(maxBytes)-byte limit")
        }
    }
}
