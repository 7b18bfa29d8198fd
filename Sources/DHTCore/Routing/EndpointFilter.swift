import DHTWire

/// A set of endpoints that may answer "maybe" for one that is not in it, never "no" for one that
/// is: 1,024 bits, one per endpoint hash. The routing table keeps one over its replacement
/// caches so that a newcomer's address is looked for in every cache only when it may be there.
/// A value type; no allocation until the first insert.
struct EndpointFilter: Sendable {
    static let wordCount = 16
    private var words: [UInt64] = []

    @inline(__always)
    private static func bit(_ e: Endpoint) -> Int {
        let mixed = (UInt64(e.address) << 16 | UInt64(e.port)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: mixed >> 54)  // 10 bits: 0..<1024
    }

    mutating func insert(_ e: Endpoint) {
        if words.isEmpty { words = Array(repeating: 0, count: Self.wordCount) }
        let b = Self.bit(e)
        words[b >> 6] |= 1 << UInt64(b & 63)
    }

    /// False only when `e` was never inserted.
    func mayContain(_ e: Endpoint) -> Bool {
        guard !words.isEmpty else { return false }
        let b = Self.bit(e)
        return words[b >> 6] & (1 << UInt64(b & 63)) != 0
    }
}
