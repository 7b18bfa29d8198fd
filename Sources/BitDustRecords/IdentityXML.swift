import DHTCore

/// What dhtop shows of a BitDust identity document (the XML `userid/identity.py` writes), without
/// the XML itself. A value type; pure; thread-safe.
public struct IdentitySummary: Hashable, Sendable {
    public var sources: [String] = []
    public var contacts: [String] = []
    public var certificates = 0
    public var scrubbers: [String] = []
    public var postage: String?
    public var date: String?
    public var version: String?
    public var revision: String?
    /// The public key text, whitespace-trimmed.
    public var publicKey: String?
    public var hasSignature = false

    /// First 16 hex digits of SHA-1 over the trimmed public key text, as `ab:cd:ef:01:23:45:67:89`.
    public var fingerprint: String? {
        guard let publicKey, !publicKey.isEmpty else { return nil }
        return IdentitySummary.fingerprint(of: publicKey)
    }

    public static func fingerprint(of keyText: String) -> String {
        SHA1.digest(Array(keyText.utf8)).prefix(8).map { b in
            let h = String(b, radix: 16)
            return h.count == 1 ? "0" + h : h
        }.joined(separator: ":")
    }

    /// The largest identity document `parse` reads (bytes of UTF-8).
    public static let maxDocumentBytes = 4_000_000
    /// The most text kept for one element; the rest is dropped.
    public static let maxTextBytes = 1_000_000

    /// Parses identity XML with `BoundedXMLReader` (no DOCTYPE, no entity definitions, nesting
    /// at most 64). Returns nil when the text is not well-formed XML or its root element is not
    /// `<identity>`. Never traps.
    public static func parse(_ xml: String) -> IdentitySummary? {
        guard !xml.isEmpty, xml.utf8.count <= maxDocumentBytes else { return nil }
        var collector = IdentityCollector()
        let wellFormed = BoundedXMLReader.read(Array(xml.utf8)) { collector.take($0) }
        guard wellFormed, collector.rootName == "identity" else { return nil }
        return collector.summary
    }
}

/// Collects the text of the identity sections from the reader's events. Confined to one parse.
private struct IdentityCollector {
    var summary = IdentitySummary()
    var rootName: String?
    private var path: [String] = []
    private var text: [UInt8] = []

    mutating func take(_ event: BoundedXMLReader.Event) {
        switch event {
        case .start(let name):
            if rootName == nil { rootName = name }
            path.append(name)
            text.removeAll(keepingCapacity: true)
        case .text(let piece):
            text += piece.prefix(max(0, IdentitySummary.maxTextBytes - text.count))
        case .end(let name):
            end(name)
        }
    }

    private mutating func end(_ name: String) {
        let value = Self.trimmed(text)
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        switch (path.count, parent, name) {
        case (3, "sources", "source"): summary.sources.append(value)
        case (3, "contacts", "contact"): summary.contacts.append(value)
        case (3, "certificates", "certificate"): summary.certificates += 1
        case (3, "scrubbers", "scrubber"): summary.scrubbers.append(value)
        case (2, _, "postage"): summary.postage = value
        case (2, _, "date"): summary.date = value
        case (2, _, "version"): summary.version = value
        case (2, _, "revision"): summary.revision = value
        case (2, _, "publickey"): summary.publicKey = value
        case (2, _, "signature"): summary.hasSignature = !value.isEmpty
        default: break
        }
        if !path.isEmpty { path.removeLast() }
        text.removeAll(keepingCapacity: true)
    }

    /// `bytes` as text without leading and trailing XML whitespace (a cut inside a multi-byte
    /// character at the text limit reads as U+FFFD).
    private static func trimmed(_ bytes: [UInt8]) -> String {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
