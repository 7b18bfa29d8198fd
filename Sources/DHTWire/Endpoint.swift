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

    public static func parseIPv4(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for p in parts {
            guard (1...3).contains(p.count), p.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt32(p), n <= 255 else { return nil }
            value = value << 8 | n
        }
        return value
    }

    /// The dotted quad.
    public var host: String {
        "\(address >> 24).\((address >> 16) & 0xff).\((address >> 8) & 0xff).\(address & 0xff)"
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
