/// The order of dict keys: integers first, then bytes in lexicographic order (how bencode and
/// the control socket's `Wire.Value` list a dict). Pure; thread-safe.
extension BKey: Comparable {
    public static func < (a: BKey, b: BKey) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        case (.int, .bytes): return true
        case (.bytes, .int): return false
        case (.bytes(let x), .bytes(let y)): return x.lexicographicallyPrecedes(y)
        }
    }
}
