import DHTCore
import DHTWire

extension Wire {
    /// A routing-table contact. A value type.
    public struct Contact: Sendable, Hashable, Codable {
        public var id: String
        public var address: String
        public var firstSeenNs: Int64
        public var lastSeenNs: Int64
        public var lastReplyNs: Int64?
        public var failures: Int
        public var rttNs: Int64?

        enum CodingKeys: String, CodingKey {
            case id, address, failures
            case firstSeenNs = "first_seen_ns", lastSeenNs = "last_seen_ns", lastReplyNs = "last_reply_ns", rttNs = "rtt_ns"
        }

        public init(_ c: DHTCore.Contact) {
            id = c.id.hex
            address = c.endpoint.description
            firstSeenNs = c.firstSeen.nanoseconds
            lastSeenNs = c.lastSeen.nanoseconds
            lastReplyNs = c.lastReply?.nanoseconds
            failures = c.failures
            rttNs = c.rtt?.nanoseconds
        }

        public func core() throws(Invalid) -> DHTCore.Contact {
            var c = DHTCore.Contact(
                id: try Wire.id(id, "contact id"), endpoint: try Wire.endpoint(address, "contact address"),
                seen: Timestamp(nanoseconds: firstSeenNs))
            c.lastSeen = Timestamp(nanoseconds: lastSeenNs)
            c.lastReply = Wire.time(lastReplyNs)
            c.failures = failures
            c.rtt = rttNs.map { Duration.nanoseconds($0) }
            return c
        }
    }

    /// A contact as findNode results carry it (a lookup's closest). A value type.
    public struct Triple: Sendable, Hashable, Codable {
        public var id: String
        public var address: String
        public var layer: Int

        enum CodingKeys: String, CodingKey { case id, address, layer }

        public init(_ t: ContactTriple) {
            id = t.id.hex
            address = t.endpoint.description
            layer = t.layer
        }

        public func core() throws(Invalid) -> ContactTriple {
            ContactTriple(id: try Wire.id(id, "contact id"), endpoint: try Wire.endpoint(address, "contact address"), layer: layer)
        }
    }

    /// One k-bucket: its range (`prefix_length` bits of `lower`) and contacts. A value type.
    public struct Bucket: Sendable, Hashable, Codable {
        public var prefixLength: Int
        public var lower: String
        public var contacts: [Contact]
        public var replacements: [Contact]
        public var lastChangedNs: Int64
        public var pendingHeadPing: String?
        public var pendingHeadPingSinceNs: Int64?

        enum CodingKeys: String, CodingKey {
            case prefixLength = "prefix_length", lower, contacts, replacements, lastChangedNs = "last_changed_ns"
            case pendingHeadPing = "pending_head_ping", pendingHeadPingSinceNs = "pending_head_ping_since_ns"
        }

        public init(_ b: KBucket) {
            prefixLength = b.prefixLength
            lower = b.lower.hex
            contacts = b.contacts.map(Contact.init)
            replacements = b.replacements.map(Contact.init)
            lastChangedNs = b.lastChanged.nanoseconds
            pendingHeadPing = b.pendingHeadPing?.hex
            pendingHeadPingSinceNs = b.pendingHeadPingSince?.nanoseconds
        }

        public func core() throws(Invalid) -> KBucket {
            var cs: [DHTCore.Contact] = [], rs: [DHTCore.Contact] = []
            for c in contacts { cs.append(try c.core()) }
            for c in replacements { rs.append(try c.core()) }
            guard
                let b = KBucket(
                    lower: try Wire.id(lower, "bucket lower"), prefixLength: prefixLength, contacts: cs, replacements: rs,
                    lastChanged: Timestamp(nanoseconds: lastChangedNs),
                    pendingHeadPing: try Wire.optionalID(pendingHeadPing, "pending head ping"),
                    pendingHeadPingSince: Wire.time(pendingHeadPingSinceNs))
            else {
                throw Invalid("bucket \(lower)/\(prefixLength) is not a bucket range holding its contacts")
            }
            return b
        }
    }
}
