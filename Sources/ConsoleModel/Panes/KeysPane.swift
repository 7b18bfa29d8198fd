import DHTCore
import DHTWire
import FoundationEssentials
import Synchronization

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
            guard let previous, previous.value == r.value, previous.glance != nil else {
                self.init(r)
                return
            }
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

    /// What the rows are sorted by; `s` cycles through them, `S` reverses the order.
    public enum Sort: String, Sendable, Hashable, CaseIterable {
        case key, size, type, owner, rev, age, expires, publisher
        public var next: Sort { Sort.allCases[(Sort.allCases.firstIndex(of: self)! + 1) % Sort.allCases.count] }
    }

    public struct EntryID: Sendable, Hashable {
        public var layer: Int
        public var key: String
    }

    public var entries: [EntryID: Entry] = [:] {
        didSet { version = KeysRowCache.nextVersion() }
    }
    /// Changes with every change of `entries` (unique across copies), so sorted rows can be reused.
    private var version = KeysRowCache.nextVersion()
    private let cache = KeysRowCache()
    public var sort: Sort = .age
    /// The reverse of the sort's natural order (`S`).
    public var sortReversed = false
    /// Case-insensitive substring over key, BitDust key, type, owner and publisher.
    public var filter = ""
    /// Show the keys that do NOT match `filter` (`!`).
    public var filterInverted = false
    public var selection = 0

    public init() {}

    /// The rows of `layer` after filter and sort. Reuses the last answer while entries, layer,
    /// filter and sort are unchanged (a frame with 10,000 keys must not sort them again).
    public func rows(layer: Int) -> [Entry] {
        let key = KeysRowCache.Key(
            version: version, layer: layer, filter: filter, inverted: filterInverted, sort: sort, reversed: sortReversed)
        if let hit = cache.rows(for: key) { return hit }
        let computed = computeRows(layer: layer)
        cache.store(computed, for: key)
        return computed
    }

    func computeRows(layer: Int) -> [Entry] {
        let f = filter.lowercased()
        let shown = entries.values.filter { matches($0, layer: layer, filter: f) }
        return shown.sorted { a, b in sortReversed ? naturalOrder(b, a) : naturalOrder(a, b) }
    }

    /// The sort column's natural order (ties by key text).
    func naturalOrder(_ a: Entry, _ b: Entry) -> Bool {
        func text(_ x: String?) -> String { x ?? "~" }
        switch sort {
        case .key: return a.keyText < b.keyText
        case .size: return (a.size, a.keyText) > (b.size, b.keyText)
        case .age: return (a.published, a.keyText) > (b.published, b.keyText)
        case .expires: return (a.expiresAt ?? .max, a.keyText) < (b.expiresAt ?? .max, b.keyText)
        case .publisher: return (a.publisher?.hex ?? "~", a.keyText) < (b.publisher?.hex ?? "~", b.keyText)
        case .type: return (text(a.glance?.kind ?? a.type), a.keyText) < (text(b.glance?.kind ?? b.type), b.keyText)
        case .owner:
            return (text(a.glance?.owner ?? a.bitdustKey), a.keyText) < (text(b.glance?.owner ?? b.bitdustKey), b.keyText)
        case .rev: return (a.glance?.revision ?? -1, a.keyText) > (b.glance?.revision ?? -1, b.keyText)
        }
    }

    /// How many rows `layer` shows after the filter (no sorting).
    public func rowCount(layer: Int) -> Int {
        let f = filter.lowercased()
        return entries.values.reduce(0) { $0 + (matches($1, layer: layer, filter: f) ? 1 : 0) }
    }

    func matches(_ e: Entry, layer: Int, filter f: String) -> Bool {
        e.layer == layer
            && (f.isEmpty
                || filterInverted
                    != [
                        e.keyText, e.bitdustKey ?? "", e.type ?? "", e.glance?.kind ?? "", e.glance?.owner ?? "",
                        e.publisher?.hex ?? ""
                    ]
                    .contains { $0.lowercased().contains(f) })
    }

    /// The selected entry of `layer`.
    public func selected(layer: Int) -> Entry? {
        let r = rows(layer: layer)
        return r.isEmpty ? nil : r[min(selection, r.count - 1)]
    }

    /// How many keys `layer` holds (unfiltered). Counted once per change of `entries`, without
    /// copying them: the header and the pane title ask every frame.
    public func count(layer: Int) -> Int {
        if let counts = cache.counts(version: version) { return counts[layer] ?? 0 }
        var counts: [Int: Int] = [:]
        for id in entries.keys { counts[id.layer, default: 0] += 1 }
        cache.store(counts: counts, version: version)
        return counts[layer] ?? 0
    }

    // MARK: Folding

    /// Replaces every entry from a snapshot's records; an entry whose record did not change is
    /// kept as it is (not decoded again: snapshots come every second, with thousands of keys).
    public mutating func absorb(_ records: [StoredRecord]) {
        var next: [EntryID: Entry] = [:]
        next.reserveCapacity(records.count)
        for r in records {
            let id = EntryID(layer: r.layer, key: Sanitizer.clean(bytes: r.key))
            if let old = entries[id], old.published == r.originallyPublished, old.expiresAt == r.expiresAt,
                old.publisher == r.publisher, old.value == r.value
            {
                next[id] = old
            } else {
                next[id] = Entry(r, previous: entries[id])
            }
        }
        entries = next
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

/// The last sorted rows of a `KeysPane`, shared by its copies; keyed by a version that is unique
/// per change, so a copy never sees another copy's rows. Thread-safe (one lock).
final class KeysRowCache: @unchecked Sendable {
    struct Key: Hashable {
        var version: UInt64
        var layer: Int
        var filter: String
        var inverted: Bool
        var sort: KeysPane.Sort
        var reversed: Bool
    }

    private static let counter = Atomic<UInt64>(0)
    static func nextVersion() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }

    private let lock = PlainLock()
    private var key: Key?
    private var rows: [KeysPane.Entry] = []

    func rows(for key: Key) -> [KeysPane.Entry]? {
        lock.lock()
        defer { lock.unlock() }
        return self.key == key ? rows : nil
    }

    private var countsVersion: UInt64?
    private var layerCounts: [Int: Int] = [:]

    func counts(version: UInt64) -> [Int: Int]? {
        lock.lock()
        defer { lock.unlock() }
        return countsVersion == version ? layerCounts : nil
    }

    func store(counts: [Int: Int], version: UInt64) {
        lock.lock()
        defer { lock.unlock() }
        countsVersion = version
        layerCounts = counts
    }

    func store(_ rows: [KeysPane.Entry], for key: Key) {
        lock.lock()
        defer { lock.unlock() }
        self.key = key
        self.rows = rows
    }
}
