/// An IPv4 UDP address: what a datagram comes from or goes to. The BitDust DHT is IPv4 only
/// (docs/protocol.md §2). A value type; thread-safe.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The address in host order: 127.0.0.1 is 0x7f000001.
    public var address: UInt32
    public var port: UInt16

    public init(address: UInt32, port: UInt16) {
        self.address = address
        self.port = port
    }

    /// Parses a dotted quad such as "127.0.0.1" and a port.
    public init?(host: some StringProtocol, port: Int) {
        guard let a = Endpoint.parseIPv4(host), (0...65535).contains(port) else { return nil }
        self.init(address: a, port: UInt16(port))
    }

    /// Parses "HOST:PORT" where HOST is a dotted quad.
    public init?(_ text: some StringProtocol) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else { return nil }
        self.init(host: text[..<colon], port: port)
    }

    /// Parses a dotted quad: four parts of one to three ASCII digits, each at most 255
    /// (leading zeros allowed); nil for anything else.
    public static func parseIPv4(_ text: some StringProtocol) -> UInt32? {
        parseIPv4(utf8: text.utf8)
    }

    /// `parseIPv4` on the text's UTF-8 bytes (any byte that is not an ASCII digit or a dot
    /// makes it nil), without building a string. Inlinable: another module's call (the engine
    /// reads one per contact of every findNode answer) is specialised for its sequence type
    /// instead of going through the generic witnesses.
    @inlinable
    public static func parseIPv4(utf8 bytes: some Sequence<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var parts = 0
        for b in bytes {
            if b == UInt8(ascii: ".") {
                guard digits > 0, part <= 255, parts < 3 else { return nil }
                value = value << 8 | part
                parts += 1
                part = 0
                digits = 0
            } else {
                guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9"), digits < 3 else { return nil }
                part = part * 10 + UInt32(b - UInt8(ascii: "0"))
                digits += 1
            }
        }
        guard parts == 3, digits > 0, part <= 255 else { return nil }
        return value << 8 | part
    }

    /// The dotted quad.
    public var host: String {
        String(decoding: hostUTF8, as: UTF8.self)
    }

    /// The dotted quad as ASCII bytes (what `host` spells), built without a string.
    public var hostUTF8: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(15)
        appendHostUTF8(to: &out)
        return out
    }

    /// The length of the dotted quad (7 to 15 bytes).
    public var hostUTF8Count: Int {
        var n = 3
        for shift in stride(from: 24, through: 0, by: -8) {
            let octet = UInt8(truncatingIfNeeded: address >> UInt32(shift))
            n += octet >= 100 ? 3 : (octet >= 10 ? 2 : 1)
        }
        return n
    }

    /// Appends the dotted quad's ASCII bytes to `out`.
    public func appendHostUTF8(to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            let octet = UInt8(truncatingIfNeeded: address >> UInt32(shift))
            if shift != 24 { out.append(UInt8(ascii: ".")) }
            if octet >= 100 { out.append(UInt8(ascii: "0") + octet / 100) }
            if octet >= 10 { out.append(UInt8(ascii: "0") + octet / 10 % 10) }
            out.append(UInt8(ascii: "0") + octet % 10)
        }
    }

    public var description: String { "\(host):\(port)" }

    public static let loopback: UInt32 = 0x7f00_0001

    public static func < (a: Endpoint, b: Endpoint) -> Bool {
        (a.address, a.port) < (b.address, b.port)
    }
}

extension Endpoint {
    /// Decodes the `ip:port` text written by `encode(to:)`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let e = Endpoint(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not ip:port: \(text)"))
        }
        self = e
    }

    /// Encodes as `ip:port` text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
