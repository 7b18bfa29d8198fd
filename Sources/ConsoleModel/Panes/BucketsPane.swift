import DHTCore
import DHTWire

/// The K-buckets pane: every layer's buckets as last seen (snapshot, then contact events), the
/// row selection and the contact list opened with Enter. A value type owned by `ConsoleState`.
public struct BucketsPane: Sendable {
    /// One bucket as the console tracks it.
    public struct Bucket: Sendable, Hashable {
        public var prefixLength: Int
        public var lower: NodeID
        public var upper: NodeID
        /// Live contacts, least-recently-seen first.
        public var contacts: [Contact]
        public var replacements: [Contact]
        public var lastChanged: Timestamp

        public init(_ b: KBucket) {
            prefixLength = b.prefixLength
            lower = b.lower
            upper = b.upper
            contacts = b.contacts
            replacements = b.replacements
            lastChanged = b.lastChanged
        }

        public init(prefixLength: Int, lower: NodeID, upper: NodeID, contacts: [Contact] = [], lastChanged: Timestamp) {
            self.prefixLength = prefixLength
            self.lower = lower
            self.upper = upper
            self.contacts = contacts
            self.replacements = []
            self.lastChanged = lastChanged
        }

        public func contains(_ id: NodeID) -> Bool { !(id < lower) && !(upper < id) }

        /// The least recent `lastSeen` of its contacts.
        public var oldestSeen: Timestamp? { contacts.map(\.lastSeen).min() }
    }

    /// Buckets per layer, in id order (the table's order).
    public var layers: [Int: [Bucket]] = [:]
    /// The bucket size.
    public var k = 20
    /// Selected row among the non-empty buckets of the shown layer.
    public var selection = 0
    /// The bucket (index into `rows`) whose contacts are open, if any.
    public var openRow: Int?
    /// Selected contact in the open bucket.
    public var contactSelection = 0
    /// `/` over contact ids and addresses: a bucket shows when one of its contacts matches,
    /// an open bucket lists the matching ones.
    public var filter = PaneFilter()
    /// While a bucket is open, its table index: it stays listed whatever the filter (typing a
    /// filter must not close the bucket being filtered).
    public var pinnedBucket: Int?

    /// The columns an open bucket's contacts sort by; `table` is the table's own order (least
    /// recently seen first).
    public enum ContactColumn: String, Sendable, Hashable, CaseIterable {
        case table, id, address, rtt, seen, reply, fail
    }
    public var contactSort = TableSort<ContactColumn>(.table)

    public init() {}

    /// The non-empty buckets of `layer` (with a contact passing the filter) with their table
    /// index, in id order.
    public func rows(layer: Int) -> [(index: Int, bucket: Bucket)] {
        (layers[layer] ?? []).enumerated().filter { !$0.element.contacts.isEmpty }
            .filter { filter.isEmpty || (openRow != nil && $0.offset == pinnedBucket) || !contactRows($0.element).isEmpty }
            .map { ($0.offset, $0.element) }
    }

    /// A bucket's contacts that pass the filter, in the chosen order.
    public func contactRows(_ b: Bucket) -> [Contact] {
        let shown = filter.isEmpty ? b.contacts : b.contacts.filter { filter.matches([$0.id.hex, $0.endpoint.description]) }
        guard contactSort.column != .table || contactSort.reversed else { return shown }
        let position = Dictionary(shown.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        func natural(_ a: Contact, _ b: Contact) -> Bool {
            let tie = (position[a.id] ?? 0) < (position[b.id] ?? 0)
            switch contactSort.column {
            case .table: return tie
            case .id: return a.id < b.id
            case .address: return (a.endpoint.address, a.endpoint.port) < (b.endpoint.address, b.endpoint.port)
            case .rtt: return a.rtt == b.rtt ? tie : (a.rtt ?? .seconds(1_000_000)) < (b.rtt ?? .seconds(1_000_000))
            case .seen: return a.lastSeen == b.lastSeen ? tie : a.lastSeen > b.lastSeen
            case .reply:
                return a.lastReply == b.lastReply ? tie : (a.lastReply ?? .init(nanoseconds: 0)) > (b.lastReply ?? .init(nanoseconds: 0))
            case .fail: return a.failures == b.failures ? tie : a.failures > b.failures
            }
        }
        return shown.sorted { contactSort.before($0, $1, natural: natural) }
    }

    /// The id of the contact at `endpoint` in `layer`'s table, if any.
    public func contactID(at endpoint: Endpoint, layer: Int) -> NodeID? {
        for b in layers[layer] ?? [] {
            for c in b.contacts where c.endpoint == endpoint { return c.id }
        }
        return nil
    }

    /// The open bucket's selected contact on `layer`, if a bucket is open.
    public func selectedContact(layer: Int) -> (bucket: Int, contact: Contact)? {
        let r = rows(layer: layer)
        guard let open = openRow, r.indices.contains(open) else { return nil }
        let list = contactRows(r[open].bucket)
        guard !list.isEmpty else { return nil }
        return (r[open].index, list[min(max(0, contactSelection), list.count - 1)])
    }

    /// Live contacts of `layer` by health at `now`.
    public func healthCounts(layer: Int, now: Timestamp) -> [Contact.Health: Int] {
        var out: [Contact.Health: Int] = [.good: 0, .questionable: 0, .bad: 0]
        for b in layers[layer] ?? [] { for c in b.contacts { out[c.health(now: now), default: 0] += 1 } }
        return out
    }

    /// How many live contacts `layer` holds.
    public func contactCount(layer: Int) -> Int {
        (layers[layer] ?? []).reduce(0) { $0 + $1.contacts.count }
    }

    /// A rough network size: the median over buckets that are not full of `contacts × 2^prefix`
    /// (a bucket that is not full likely knows every node in its share of the id space).
    public func networkSizeEstimate(layer: Int) -> Int? {
        var guesses: [Double] = []
        for b in layers[layer] ?? [] where !b.contacts.isEmpty && b.contacts.count < k && b.prefixLength < 60 {
            guesses.append(Double(b.contacts.count) * Double(UInt64(1) << UInt64(b.prefixLength)))
        }
        if guesses.isEmpty {
            let total = contactCount(layer: layer)
            return total == 0 ? nil : total
        }
        guesses.sort()
        return Int(guesses[guesses.count / 2])
    }

    // MARK: Folding

    /// Replaces a layer's buckets from a snapshot.
    public mutating func absorb(layer: Int, buckets: [KBucket]) {
        layers[layer] = buckets.map(Bucket.init)
    }

    /// Adds or refreshes `contact` in the bucket that covers it.
    public mutating func upsert(_ contact: Contact, layer: Int, at now: Timestamp) {
        var list = layers[layer] ?? [Bucket(prefixLength: 0, lower: .zero, upper: .max, lastChanged: now)]
        guard let i = list.firstIndex(where: { $0.contains(contact.id) }) else { return }
        list[i].replacements.removeAll { $0.id == contact.id }
        if let p = list[i].contacts.firstIndex(where: { $0.id == contact.id }) { list[i].contacts.remove(at: p) }
        list[i].contacts.append(contact)
        list[i].lastChanged = now
        layers[layer] = list
    }

    /// Removes `id` from its bucket.
    public mutating func remove(_ id: NodeID, layer: Int) {
        guard var list = layers[layer], let i = list.firstIndex(where: { $0.contains(id) }) else { return }
        list[i].contacts.removeAll { $0.id == id }
        layers[layer] = list
    }

    /// Records a failure count on a contact.
    public mutating func markFailed(_ contact: Contact, failures: Int, layer: Int) {
        guard var list = layers[layer], let i = list.firstIndex(where: { $0.contains(contact.id) }),
            let p = list[i].contacts.firstIndex(where: { $0.id == contact.id })
        else { return }
        list[i].contacts[p].failures = failures
        layers[layer] = list
    }

    /// Splits bucket `index` of `layer` into halves with `prefixLength` bits.
    public mutating func split(layer: Int, index: Int, prefixLength: Int, at now: Timestamp) {
        guard var list = layers[layer], list.indices.contains(index), prefixLength > 0,
            prefixLength <= NodeID.bitCount
        else { return }
        let old = list[index]
        let lowUpper = old.lower.setting(bit: prefixLength - 1, to: false).fillingBelow(prefixLength)
        let highLower = old.lower.setting(bit: prefixLength - 1, to: true)
        var low = Bucket(prefixLength: prefixLength, lower: old.lower, upper: lowUpper, lastChanged: now)
        var high = Bucket(prefixLength: prefixLength, lower: highLower, upper: old.upper, lastChanged: now)
        for c in old.contacts { if low.contains(c.id) { low.contacts.append(c) } else { high.contacts.append(c) } }
        list.replaceSubrange(index...index, with: [low, high])
        layers[layer] = list
    }

    /// Keeps the selection inside the rows of `layer`.
    public mutating func clampSelection(layer: Int) {
        let n = rows(layer: layer).count
        selection = n == 0 ? 0 : min(max(0, selection), n - 1)
        if let o = openRow, o >= n { openRow = nil }
    }
}

extension NodeID {
    /// This id with every bit from `prefixLength` on set to one.
    func fillingBelow(_ prefixLength: Int) -> NodeID {
        var id = self
        for bit in prefixLength..<NodeID.bitCount { id = id.setting(bit: bit, to: true) }
        return id
    }
}
