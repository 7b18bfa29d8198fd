/// A size given on the command line: a whole number of bytes, optionally with a binary suffix
/// K, M, G or T (also KB/KiB…; 64M = 64 × 1024 × 1024). Pure; thread-safe.
public enum ByteCount {
    /// The largest size accepted (1 PiB), so that nothing computed from it can overflow.
    public static let maximum = 1 << 50

    /// The bytes `text` names, or nil when it is not a size (negative, fractional, too large).
    public static func parse(_ text: String) -> Int? {
        var body = Substring(text.trimmingSpaces.uppercased())
        for suffix in ["IB", "B"] where body.hasSuffix(suffix) && body.count > suffix.count {
            body = body.dropLast(suffix.count)
            break
        }
        var shift = 0
        if let last = body.last, let index = "KMGT".firstIndex(of: last) {
            shift = 10 * ("KMGT".distance(from: "KMGT".startIndex, to: index) + 1)
            body = body.dropLast()
        }
        guard !body.isEmpty, body.count <= 16, body.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(body), number <= maximum >> shift
        else { return nil }
        return number << shift
    }
}

private extension String {
    var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map { index(after: $0) } ?? start
        return self[start..<max(start, end)]
    }
}
