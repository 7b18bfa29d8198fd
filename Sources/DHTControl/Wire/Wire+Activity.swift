import DHTCore
import DHTWire

extension Wire {
    /// One RPC of ours waiting for an answer. A value type.
    public struct RPC: Sendable, Hashable, Codable {
        public var rpcID: String
        public var method: String
        public var peer: String
        public var peerID: String?
        public var layer: Int
        public var sentAtNs: Int64
        public var timeoutNs: Int64
        public var attempt: Int
        public var lookup: UInt64?

        enum CodingKeys: String, CodingKey {
            case rpcID = "rpc_id", method, peer, peerID = "peer_id", layer, sentAtNs = "sent_at_ns", timeoutNs = "timeout_ns"
            case attempt, lookup
        }

        public init(_ i: RPCInfo) {
            rpcID = i.rpcID.hex
            method = i.method
            peer = i.peer.description
            peerID = i.peerID?.hex
            layer = i.layer
            sentAtNs = i.sentAt.nanoseconds
            timeoutNs = i.timeout.nanoseconds
            attempt = i.attempt
            lookup = i.lookup?.value
        }

        public func core() throws(Invalid) -> RPCInfo {
            RPCInfo(
                rpcID: try Wire.id(rpcID, "rpc id"), method: method, peer: try Wire.endpoint(peer, "rpc peer"),
                peerID: try Wire.optionalID(peerID, "rpc peer id"), layer: layer, sentAt: Timestamp(nanoseconds: sentAtNs),
                timeout: .nanoseconds(timeoutNs), attempt: attempt, lookup: lookup.map(LookupID.init))
        }
    }

    /// A running lookup's statistics. A value type.
    public struct Lookup: Sendable, Hashable, Codable {
        public var id: UInt64
        public var layer: Int
        public var target: String
        public var purpose: String
        public var startedAtNs: Int64
        public var rounds: Int
        public var rpcsSent: Int
        public var inFlight: Int
        public var responders: Int
        public var timeouts: Int
        public var closest: [Triple]
        public var closestCommonPrefix: Int?
        public var termination: String?
        public var elapsedNs: Int64

        enum CodingKeys: String, CodingKey {
            case id, layer, target, purpose, startedAtNs = "started_at_ns", rounds, rpcsSent = "rpcs_sent", inFlight = "in_flight"
            case responders, timeouts, closest, closestCommonPrefix = "closest_common_prefix", termination, elapsedNs = "elapsed_ns"
        }

        public init(_ s: LookupSummary) {
            id = s.id.value
            layer = s.layer
            target = s.target.hex
            purpose = s.purpose.rawValue
            startedAtNs = s.startedAt.nanoseconds
            rounds = s.rounds
            rpcsSent = s.rpcsSent
            inFlight = s.inFlight
            responders = s.responders
            timeouts = s.timeouts
            closest = s.closest.map(Triple.init)
            closestCommonPrefix = s.closestCommonPrefix
            termination = s.termination?.rawValue
            elapsedNs = s.elapsed.nanoseconds
        }

        public func core() throws(Invalid) -> LookupSummary {
            guard let p = LookupPurpose(rawValue: purpose) else { throw Invalid("unknown lookup purpose '\(purpose)'") }
            var s = LookupSummary(
                id: LookupID(id), layer: layer, target: try Wire.id(target, "lookup target"), purpose: p,
                startedAt: Timestamp(nanoseconds: startedAtNs))
            s.rounds = rounds
            s.rpcsSent = rpcsSent
            s.inFlight = inFlight
            s.responders = responders
            s.timeouts = timeouts
            for t in closest { s.closest.append(try t.core()) }
            s.closestCommonPrefix = closestCommonPrefix
            if let termination {
                guard let t = LookupTermination(rawValue: termination) else { throw Invalid("unknown lookup termination '\(termination)'") }
                s.termination = t
            }
            s.elapsed = .nanoseconds(elapsedNs)
            return s
        }
    }

    /// The traffic counters. A value type.
    public struct Counters: Sendable, Hashable, Codable {
        /// One layer's counters.
        public struct Layer: Sendable, Hashable, Codable {
            public var layer: Int
            public var packetsReceived: Int
            public var packetsSent: Int
            public var rpcCalls: [String: Int]
            public var rpcResponses: [String: Int]

            enum CodingKeys: String, CodingKey {
                case layer, packetsReceived = "packets_received", packetsSent = "packets_sent"
                case rpcCalls = "rpc_calls", rpcResponses = "rpc_responses"
            }
        }

        public var bytesReceived: Int
        public var bytesSent: Int
        public var datagramsReceived: Int
        public var datagramsSent: Int
        /// By layer number, ascending.
        public var layers: [Layer]
        public var dropped: [String: Int]
        public var unsolicitedRequests: Int

        enum CodingKeys: String, CodingKey {
            case bytesReceived = "bytes_received", bytesSent = "bytes_sent", datagramsReceived = "datagrams_received"
            case datagramsSent = "datagrams_sent", layers, dropped, unsolicitedRequests = "unsolicited_requests"
        }

        public init(_ c: DHTCore.Counters) {
            bytesReceived = c.bytesReceived
            bytesSent = c.bytesSent
            datagramsReceived = c.datagramsReceived
            datagramsSent = c.datagramsSent
            layers = c.layers.sorted { $0.key < $1.key }.map {
                Layer(
                    layer: $0.key, packetsReceived: $0.value.packetsReceived, packetsSent: $0.value.packetsSent,
                    rpcCalls: $0.value.rpcCalls, rpcResponses: $0.value.rpcResponses)
            }
            dropped = c.dropped
            unsolicitedRequests = c.unsolicitedRequests
        }

        public func core() throws(Invalid) -> DHTCore.Counters {
            var c = DHTCore.Counters()
            c.bytesReceived = bytesReceived
            c.bytesSent = bytesSent
            c.datagramsReceived = datagramsReceived
            c.datagramsSent = datagramsSent
            for l in layers {
                guard c.layers[l.layer] == nil else { throw Invalid("counters list layer \(l.layer) twice") }
                var layer = DHTCore.Counters.Layer()
                layer.packetsReceived = l.packetsReceived
                layer.packetsSent = l.packetsSent
                layer.rpcCalls = l.rpcCalls
                layer.rpcResponses = l.rpcResponses
                c.layers[l.layer] = layer
            }
            c.dropped = dropped
            c.unsolicitedRequests = unsolicitedRequests
            return c
        }
    }
}
