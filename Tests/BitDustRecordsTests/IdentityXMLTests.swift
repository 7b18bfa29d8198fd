import Foundation
import Testing

@testable import BitDustRecords

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// IdentitySummary.parse over BoundedXMLReader: identities as minidom writes them (checked
/// against Foundation's XMLParser on generated documents), and hostile input — truncation,
/// nesting, entity definitions, bad references, size — refused without a trap.
@Suite struct IdentityXMLTests {
    typealias Rng = FuzzTests.Rng

    /// Text as minidom's toxml escapes it (`&`, `<`, `>`, `"`).
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    static func randomText(_ rng: inout Rng) -> String {
        let pieces = ["a", "Z", "0", " ", "&", "<", ">", "\"", "'", "é", "😀", "http://h:8084/x.xml", "tcp://1.2.3.4:7771", "\t", "\n", "]]", "-->"]
        return (0..<rng.below(12)).map { _ in pieces[rng.below(pieces.count)] }.joined()
    }

    /// A document shaped like `identity.toxml()` with random contents, sometimes with the
    /// XML constructs minidom does not write (CDATA, comments, attributes, character references).
    static func randomIdentity(_ rng: inout Rng) -> String {
        func text() -> String {
            let plain = randomText(&rng)
            switch rng.below(6) {
            case 0: return "<![CDATA[" + plain.replacingOccurrences(of: "]]>", with: "") + "]]>"
            case 1: return escape(plain) + "<!-- note -->" + "&#233;&#x1F600;"
            default: return escape(plain)
            }
        }
        func list(_ name: String, _ item: String) -> String {
            let n = rng.below(4)
            if n == 0 && rng.below(2) == 0 { return "<\(name)/>" }
            let attr = rng.below(3) == 0 ? " kind=\"x &amp; y\" other='1'" : ""
            return "<\(name)\(attr)>" + (0..<n).map { _ in "\n    <\(item)>\(text())</\(item)>" }.joined() + "\n  </\(name)>"
        }
        var out = rng.below(2) == 0 ? "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" : ""
        out += "<identity>\n  " + list("sources", "source") + "\n  " + list("contacts", "contact") + "\n  "
        out += list("certificates", "certificate") + "\n  " + list("scrubbers", "scrubber")
        for field in ["postage", "date", "version", "revision", "publickey", "signature"] where rng.below(5) != 0 {
            out += "\n  <\(field)>\(text())</\(field)>"
        }
        return out + "\n</identity>\n"
    }

    #if canImport(FoundationXML)
        /// The previous reader (XMLParser), kept here as the oracle.
        final class Oracle: NSObject, XMLParserDelegate {
            var summary = IdentitySummary()
            var path: [String] = []
            var text = ""
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                path.append(e)
                text = ""
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { text += s }
            func parser(_ p: XMLParser, foundCDATA d: Data) { text += String(decoding: d, as: UTF8.self) }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                let v = text.trimmingCharacters(in: CharacterSet(charactersIn: " \t\n\r"))
                let parent = path.count >= 2 ? path[path.count - 2] : ""
                switch (path.count, parent, e) {
                case (3, "sources", "source"): summary.sources.append(v)
                case (3, "contacts", "contact"): summary.contacts.append(v)
                case (3, "certificates", "certificate"): summary.certificates += 1
                case (3, "scrubbers", "scrubber"): summary.scrubbers.append(v)
                case (2, _, "postage"): summary.postage = v
                case (2, _, "date"): summary.date = v
                case (2, _, "version"): summary.version = v
                case (2, _, "revision"): summary.revision = v
                case (2, _, "publickey"): summary.publicKey = v
                case (2, _, "signature"): summary.hasSignature = !v.isEmpty
                default: break
                }
                path.removeLast()
                text = ""
            }
            static func parse(_ xml: String) -> IdentitySummary? {
                let p = XMLParser(data: Data(xml.utf8))
                let o = Oracle()
                p.delegate = o
                return p.parse() ? o.summary : nil
            }
        }

        @Test func agreesWithXMLParserOnGeneratedIdentities() throws {
            var rng = Rng(s: 0x1234_5678_9ABC_DEF1)
            for _ in 0..<1500 {
                let xml = Self.randomIdentity(&rng)
                let expected = try #require(Oracle.parse(xml), "XMLParser refused:\n\(xml)")
                #expect(IdentitySummary.parse(xml) == expected, "\(xml)")
            }
        }
    #endif

    @Test func readsTheFixtureAndMinidomsEscapes() throws {
        let s = try #require(IdentitySummary.parse(Fixtures.identityXML))
        #expect(s.sources == ["http://127.0.0.1:8084/alice.xml", "http://id2.example.com/alice.xml"])
        #expect(s.contacts == ["tcp://127.0.0.1:7771", "udp://alice@127.0.0.1:8882"])
        #expect(s.certificates == 0 && s.scrubbers.isEmpty)
        #expect(s.date == "Nov 24, 2025" && s.version == "0.1.24" && s.revision == "7" && s.hasSignature)
        let escaped = try #require(IdentitySummary.parse("<identity><date>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#65;&#x42;</date></identity>"))
        #expect(escaped.date == "a & b <c> \"d\" 'e' AB")
        let cdata = try #require(IdentitySummary.parse("<identity><publickey> <![CDATA[x<y&z]]> </publickey><!-- c --></identity>"))
        #expect(cdata.publicKey == "x<y&z")
    }

    @Test func everyTruncationIsRefused() {
        let xml = Fixtures.identityXML
        let bytes = Array(xml.utf8)
        for cut in 0..<bytes.count {
            let prefix = String(decoding: bytes[0..<cut], as: UTF8.self)
            #expect(IdentitySummary.parse(prefix) == nil, "accepted the first \(cut) bytes")
        }
    }

    @Test(arguments: [
        "<identity><a></b></identity>",  // mismatched end tag
        "<identity/><identity/>",  // two roots
        "<identity/>text",  // text after the root
        "text<identity/>",  // text before the root
        "<identity><date>&bogus;</date></identity>",  // undefined entity
        "<identity><date>&#0;</date></identity>",  // NUL is not an XML character
        "<identity><date>&#xD800;</date></identity>",  // a surrogate
        "<identity><date>&#99999999999;</date></identity>",  // beyond Unicode
        "<identity><date>& amp;</date></identity>",  // bare ampersand
        "<identity a=\"1\"b=\"2\"/>",  // attributes without space between
        "<identity a=\"<\"/>",  // < in an attribute value
        "<identity a=1/>",  // unquoted attribute
        "<!DOCTYPE identity [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><identity><date>&b;</date></identity>",
        "<!DOCTYPE identity SYSTEM \"file:///etc/passwd\"><identity/>",
        "<identity><![CDATA[unterminated</identity>",
        "<identity><!-- unterminated </identity>",
        "<1identity/>",  // a name cannot start with a digit
        "<notidentity/>",  // wrong root
        ""
    ])
    func refusesMalformedAndDangerous(xml: String) {
        #expect(IdentitySummary.parse(xml) == nil)
    }

    @Test func nestingIsBoundedWithoutRecursion() throws {
        func nested(_ depth: Int) -> String {
            "<identity>" + String(repeating: "<a>", count: depth - 1) + String(repeating: "</a>", count: depth - 1) + "</identity>"
        }
        #expect(IdentitySummary.parse(nested(BoundedXMLReader.maxDepth)) != nil)
        #expect(IdentitySummary.parse(nested(BoundedXMLReader.maxDepth + 1)) == nil)
        #expect(IdentitySummary.parse(String(repeating: "<a>", count: 1_000_000)) == nil)
    }

    @Test func sizeAndTextAreBounded() throws {
        let big = "<identity><date>" + String(repeating: "x", count: IdentitySummary.maxDocumentBytes) + "</date></identity>"
        #expect(IdentitySummary.parse(big) == nil)
        let long = "<identity><date>" + String(repeating: "y", count: IdentitySummary.maxTextBytes + 10) + "</date></identity>"
        let s = try #require(IdentitySummary.parse(long))
        #expect(s.date?.utf8.count == IdentitySummary.maxTextBytes)
    }

    @Test func mutatedIdentitiesNeverTrap() {
        var rng = Rng(s: 0xDEAD_BEEF_0BAD_F00D)
        let alphabet = Array("<>/&;#x![]-?='\" \nidentity".utf8)
        var accepted = 0
        for _ in 0..<5000 {
            var bytes = Array(Self.randomIdentity(&rng).utf8)
            for _ in 0..<(1 + rng.below(4)) where !bytes.isEmpty {
                let at = rng.below(bytes.count)
                switch rng.below(3) {
                case 0: bytes[at] = alphabet[rng.below(alphabet.count)]
                case 1: bytes.remove(at: at)
                default: bytes.insert(alphabet[rng.below(alphabet.count)], at: at)
                }
            }
            if let s = IdentitySummary.parse(String(decoding: bytes, as: UTF8.self)) {
                accepted += 1
                #expect(s.sources.count + s.contacts.count + s.scrubbers.count <= bytes.count)
            }
        }
        // Single-byte damage often lands in text: some survive, most do not.
        #expect(accepted > 0 && accepted < 5000)
    }
}
