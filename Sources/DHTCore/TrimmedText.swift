extension StringProtocol {
    /// The text without leading and trailing whitespace (Unicode White_Space, newlines included:
    /// what Python's `str.strip()` removes). Foundation-free `trimmingCharacters(in:)`. Pure.
    public func trimmedWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace }) ?? first
        return String(self[first...last])
    }
}

extension String {
    /// Every `scalar` replaced by `replacement`, compared scalar by scalar (so a `\n` inside a
    /// `\r\n` cluster is replaced too, as Foundation's `replacingOccurrences` did). Pure.
    public func replacingScalar(_ scalar: Unicode.Scalar, with replacement: String) -> String {
        guard unicodeScalars.contains(scalar) else { return self }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            if s == scalar { out.append(contentsOf: replacement.unicodeScalars) } else { out.append(s) }
        }
        return String(out)
    }
}
