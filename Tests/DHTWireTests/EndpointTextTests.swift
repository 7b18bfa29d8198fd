import Testing
import DHTWire

/// Dotted quads: `parseIPv4` (text and bytes) against a straightforward reading of the rule,
/// and `host` / `hostUTF8` against the decimal spelling.
@Suite struct EndpointTextTests {
    /// The rule spelled out: four dot-separated parts of one to three ASCII digits, each ≤ 255.
    static func reference(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(p), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    @Test func parseMatchesTheRuleOnEdgeCases() {
        let cases = [
            "127.0.0.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", ".1.2.3",
            "1.2.3.", "001.002.003.004", "0001.2.3.4", "1.2.3.-4", "+1.2.3.4", " 1.2.3.4", "1.2.3.4 ", "",
            "a.b.c.d", "1.2.3.4\u{0}", "١.٢.٣.٤", "1.2.3.4\u{301}", "10.0.0.1:80", "999.1.1.1", "1.2.3.25a"
        ]
        for text in cases {
            #expect(Endpoint.parseIPv4(text) == Self.reference(text), "\(text)")
            #expect(Endpoint.parseIPv4(utf8: Array(text.utf8)) == Self.reference(text), "\(text)")
        }
    }

    @Test func parseMatchesTheRuleOnRandomText() {
        var random = SplitMix64(seed: 7)
        let alphabet = Array("0123456789.25.x ".utf8)
        for _ in 0..<20_000 {
            let length = random.below(17)
            let bytes = (0..<length).map { _ in alphabet[random.below(alphabet.count)] }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(Endpoint.parseIPv4(utf8: bytes) == Self.reference(text), "\(text)")
        }
    }

    @Test func hostSpellsEveryOctet() {
        for octet in UInt32(0)...255 {
            let e = Endpoint(address: octet << 24 | (255 - octet) << 16 | octet << 8 | 7, port: 1)
            let expected = "\(octet).\(255 - octet).\(octet).7"
            #expect(e.host == expected)
            #expect(e.hostUTF8 == Array(expected.utf8))
            #expect(Endpoint.parseIPv4(e.host) == e.address)
        }
    }
}
