import ConsoleModel
import DHTCore
import DHTWire

/// Tiny ids and endpoints so tests read like the domain.
func id(_ n: UInt32, high: UInt64 = 0) -> NodeID { NodeID(high: high, middle: 0, low: n) }
func ep(_ n: UInt32, port: UInt16 = 14441) -> Endpoint { Endpoint(address: 0x0a00_0000 | n, port: port) }
func t(_ seconds: Double) -> Timestamp { Timestamp(seconds: 1_700_000_000 + seconds) }

func contact(_ n: UInt32, high: UInt64 = 0, seen: Timestamp = t(0)) -> Contact {
    Contact(id: id(n, high: high), endpoint: ep(n), seen: seen)
}

func rpc(_ n: UInt32, method: String = "findNode", at: Timestamp = t(0)) -> RPCInfo {
    RPCInfo(
        rpcID: id(1000 + n), method: method, peer: ep(n), peerID: id(n), layer: 0, sentAt: at,
        timeout: .seconds(5), attempt: 1, lookup: nil)
}

/// A state with one layer (id 1) and an empty table of one bucket, k = 4.
func freshState() -> ConsoleState {
    var st = ConsoleState()
    let snapshot = NodeSnapshot(
        takenAt: t(0),
        layers: [
            .init(
                layer: 0, nodeID: id(1), state: .attached,
                buckets: [KBucket(prefix: .zero, prefixLength: 0, lastChanged: t(0))], records: [])
        ],
        counters: Counters(), pending: [], lookups: [], addressText: "0.0.0.0:14441",
        dataDirectory: "/tmp/d", startedAt: t(0), k: 4)
    _ = st.apply(.snapshot(snapshot))
    return st
}

extension ConsoleState {
    mutating func feed(_ events: NodeEvent..., at time: Timestamp = t(1)) {
        _ = apply(.events(events, at: time))
    }

    mutating func press(_ keys: KeyPress...) -> ConsoleIntent {
        var last = ConsoleIntent.none
        for k in keys { last = apply(.key(k)) }
        return last
    }

    mutating func type(_ text: String) {
        for ch in text { _ = apply(.key(.char(ch))) }
    }
}
