import DHTCore
import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif

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

    /// Parses identity XML with `XMLParser` (no external entities, no network). Returns nil when the
    /// text is not well-formed XML or its root element is not `<identity>`. Never traps.
    public static func parse(_ xml: String) -> IdentitySummary? {
        guard !xml.isEmpty, xml.utf8.count <= 4_000_000 else { return nil }
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        let collector = IdentityCollector()
        parser.delegate = collector
        guard parser.parse(), !collector.failed, collector.rootClosed, collector.rootName == "identity" else { return nil }
        return collector.summary
    }
}

/// XMLParser delegate that collects the text of the identity sections. Confined to one parse call.
private final class IdentityCollector: NSObject, XMLParserDelegate {
    var summary = IdentitySummary()
    var rootName: String?
    /// Set when the root element ended (Linux's XMLParser reports success on truncated input).
    var rootClosed = false
    var failed = false
    private var path: [String] = []
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        if rootName == nil { rootName = elementName }
        path.append(elementName)
        text = ""
        if path.count > 64 { parser.abortParsing() }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { failed = true }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if text.utf8.count < 1_000_000 { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let parent = path.count >= 2 ? path[path.count - 2] : ""
        let depth = path.count
        switch (depth, parent, elementName) {
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
        if path.isEmpty { rootClosed = true }
        text = ""
    }
}
