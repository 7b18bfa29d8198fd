import ConsoleModel
import ConsoleTUI
import DHTCore
import DHTWire
import Dispatch
import FoundationEssentials
import NodeAPI

/// `dhtop bench --console`: how long one console frame takes to build (fold the node inputs
/// into `ConsoleState`, then render to a `Surface`) with 10,000 stored keys, 160 buckets and
/// 1,000 events a second, at 4 frames a second. Figures only; nothing is asserted.
/// Runs on the calling thread; reads the monotonic clock to time itself.
enum ConsoleBench {
    static func run(report: (String) -> Void) {
        var rng = SystemRandomNumberGenerator()
        let start = Timestamp(nanoseconds: 1_700_000_000_000_000_000)
        let own = NodeID.random(using: &rng)
        let snapshot = makeSnapshot(own: own, at: start, rng: &rng)
        for (w, h) in [(80, 24), (200, 50)] {
            var state = ConsoleState()
            _ = state.apply(.resize(width: w, height: h))
            let absorb = time { _ = state.apply(.snapshot(snapshot)) }
            for (i, bucket) in snapshot.layers[0].buckets.enumerated() {
                let contacts = (0..<4).map { n in
                    Contact(
                        id: bucket.lower.setting(bit: 159, to: n % 2 == 1).setting(bit: 158, to: n > 1),
                        endpoint: Endpoint(address: 0x0A00_0000 | UInt32(i * 4 + n), port: 14441), seen: start)
                }
                _ = state.apply(.events(contacts.map { .contactAdded(layer: 0, contact: $0, bucket: i) }, at: start))
            }
            var frames: [Double] = [], folds: [Double] = [], renders: [Double] = []
            var now = start
            for frame in 0..<40 {
                now = now + .milliseconds(250)
                let events = makeEvents(250, frame: frame, at: now, rng: &rng)
                let fold = time {
                    _ = state.apply(.events(events, at: now))
                    _ = state.apply(.tick(now))
                }
                let render = time { _ = ScreenRenderer.render(state, glyphs: .unicode) }
                folds.append(fold)
                renders.append(render)
                frames.append(fold + render)
            }
            let again = time { _ = state.apply(.snapshot(snapshot)) }
            report(
                "console \(w)x\(h): frame (250 events + tick + render) median \(ms(median(frames))), "
                    + "p90 \(ms(frames.sorted()[frames.count * 9 / 10])) (fold \(ms(median(folds))), render \(ms(median(renders)))); "
                    + "snapshot fold (10,000 keys, 160 buckets) first \(ms(absorb)), unchanged \(ms(again))")
        }
    }

    static func makeSnapshot(own: NodeID, at now: Timestamp, rng: inout SystemRandomNumberGenerator) -> NodeSnapshot {
        let buckets = (0..<160).map { i in
            KBucket(prefix: own.setting(bit: i, to: !own.bit(i)), prefixLength: i + 1, lastChanged: now)
        }
        let records = (0..<10_000).map { i in
            StoredRecord(
                layer: 0, key: DHTKey.hash("bench-\(i)").hexUTF8,
                value: .string("{\"type\":\"skip_validation\",\"key\":\"bench-\(i)\",\"n\":\(i)}"),
                lastPublished: now.unixSeconds, originallyPublished: now.unixSeconds - Int64(i),
                publisher: NodeID.random(using: &rng), expireSeconds: 43_200)
        }
        return NodeSnapshot(
            takenAt: now, layers: [.init(layer: 0, nodeID: own, state: .attached, buckets: buckets, records: records)],
            counters: Counters(), pending: [], lookups: [], addressText: "0.0.0.0:14441",
            dataDirectory: "/tmp/bench", startedAt: now, k: 4)
    }

    /// A mix of what a busy node emits: RPCs out and answered, requests served, contacts refreshed.
    static func makeEvents(_ count: Int, frame: Int, at now: Timestamp, rng: inout SystemRandomNumberGenerator) -> [NodeEvent] {
        (0..<count).map { i in
            let peer = Endpoint(address: 0x0A00_0000 | UInt32(i % 640), port: 14441)
            let rpc = RPCInfo(
                rpcID: NodeID.random(using: &rng), method: "findNode", peer: peer, peerID: nil, layer: 0,
                sentAt: now, timeout: .seconds(5), attempt: 1, lookup: nil)
            switch i % 4 {
            case 0: return .rpcSent(rpc)
            case 1: return .rpcAnswered(rpc, latency: .milliseconds(3), error: nil)
            case 2:
                return .requestServed(
                    ServedRequest(
                        layer: 0, method: "findValue", from: peer,
                        sender: NodeID.random(using: &rng), question: false, error: nil))
            default: return .valueServed(layer: 0, keyText: DHTKey.hash("bench-\(i)").hex, to: peer)
            }
        }
    }

    static func time(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }

    static func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }

    static func ms(_ v: Double) -> String { Format.fixed(v, 2) + " ms" }
}
