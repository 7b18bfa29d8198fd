import DHTCore
import DHTWire

/// The Stored-keys pane: every record held here with its BitDust key and type where the value
/// says, sortable and filterable. A value type owned by `ConsoleState`.
public struct KeysPane: Sendable {
    /// One stored key.
    public struct Entry: Sendable, Hashable {
        public var layer: Int
        /// The key as text (sanitized), normally 40 hex digits.
        public var keyText: String
        /// BitDust's own key and record type, from the JSON value.
        public var bitdustKey: String?
        public var type: String?
        public var size: Int
        public var publisher: NodeID?
        /// Unix seconds of the first publication and of expiry, when known.
        public var published: Int64
        public var expiresAt: Int64?
        /// The value, once a snapshot has carried it.
        public var value: BValue?
        /// The value decoded as a BitDust record (type, owner, revision, validity).
        public var glance: RecordGlance?

        public init(_ r: StoredRecord) {
            layer = r.layer
            keyText = Sanitizer.clean(bytes: r.key)
            let fields = RecordRendering.bitdustFields(r.value)
            bitdustKey = fields.key.map(Sanitizer.clean)
            type = fields.type.map(Sanitizer.clean)
            size = RecordRendering.size(r.value)
            publisher = r.publisher
            published = r.originallyPublished
            expiresAt = r.expiresAt
            value = r.value
            glance = RecordGlance(r.value)
        }

        /// Like `init(_:)`, reusing `previous`'s decoding when the value did not change.
        init(_ r: StoredRecord, previous: Entry?) {
            guard let previous, previous.value == r.value, previous.glance != nil else { self.init(r); return }
            self = previous
            publisher = r.publisher
            published = r.originallyPublished
            expiresAt = r.expiresAt
        }

        public init(layer: Int, keyText: String, size: Int, publisher: NodeID?, published: Int64) {
            self.layer = layer
            self.keyText = Sanitizer.clean(keyText)
            self.size = size
            self.publisher = publisher
            self.published = published
        }
    }

    /// What the rows are sorted by; `s` cycles through them.
    public enum Sort: String, Sendable, Hashable, CaseIterable {
        case key, size, age, expires, publisher
        public var next: Sort { Sort.allCases[(Sort.allCases.firstIndex(of: self)! + 1) % Sort.allCases.count] }
    }

    public struct EntryID: Sendable, Hashable { public var layer: Int; public var key: String }

    public var entries: [EntryID: Entry] = [:]
    public var sort: Sort = .age
    /// Case-insensitive substring over key, BitDust key, type, owner and publisher.
    public var filter = ""
    public var selection = 0

    public init() {}

    /// The rows of `layer` after filter and sort.
    public func rows(layer: Int) -> [Entry] {
        let f = filter.lowercased()
        let shown = entries.values.filter { e in
            e.layer == layer && (f.isEmpty || [e.keyText, e.bitdustKey ?? "", e.type ?? "", e.glance?.kind ?? "", e.glance?.owner ?? "",
                                                    e.publisher?.hex ?? ""]
                .contains { $0.lowercased().contains(f) })
        }
        return shown.sorted { a, b in
            switch sort {
            case .key: return a.keyText < b.keyText
            case .size: return (a.size, a.keyText) > (b.size, b.keyText)
            case .age: return (a.published, a.keyText) > (b.published, b.keyText)
            case .expires: return (a.expiresAt ?? .max, a.keyText) < (b.expiresAt ?? .max, b.keyText)
            case .publisher: return (a.publisher?.hex ?? "~", a.keyText) < (b.publisher?.hex ?? "~", b.keyText)
            }
        }
    }

    /// The selected entry of `layer`.
    public func selected(layer: Int) -> Entry? {
        let r = rows(layer: layer)
        return r.isEmpty ? nil : r[min(selection, r.count - 1)]
    }

    /// How many keys `layer` holds (unfiltered).
    public func count(layer: Int) -> Int { entries.values.filter { $0.layer == layer }.count }

    // MARK: Folding

    /// Replaces every entry from a snapshot's records.
    public mutating func absorb(_ records: [StoredRecord]) {
        let old = entries
        entries = Dictionary(records.map { r in
            let id = EntryID(layer: r.layer, key: Sanitizer.clean(bytes: r.key))
            return (id, Entry(r, previous: old[id]))
        }, uniquingKeysWith: { $1 })
    }

    /// A value was stored: add it, or update size and publisher (the value comes with the next snapshot).
    public mutating func stored(layer: Int, keyText: String, bytes: Int, publisher: NodeID?, at now: Timestamp) {
        let id = EntryID(layer: layer, key: Sanitizer.clean(keyText))
        if var e = entries[id] {
            e.size = bytes
            e.publisher = publisher ?? e.publisher
            entries[id] = e
        } else {
            entries[id] = Entry(layer: layer, keyText: keyText, size: bytes, publisher: publisher, published: now.unixSeconds)
        }
    }

    public mutating func removed(layer: Int, keyText: String) {
        entries[EntryID(layer: layer, key: Sanitizer.clean(keyText))] = nil
    }
}
