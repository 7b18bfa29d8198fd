/// Truncation of strings a peer chose (method names, error texts, unexpected results) before
/// they are kept in counters, results or events, so that nothing a peer sends can make the
/// node hold more than a fixed number of bytes per item (docs/limits.md). Stateless; thread-safe.
public enum BoundedText {
    /// The most UTF-8 bytes kept of a method name in events (`ServedRequest.method`).
    public static let methodBytes = 64
    /// The most UTF-8 bytes kept of a remote error's type and text, or of an unexpected result,
    /// in events and operation results.
    public static let errorBytes = 512

    /// `text` cut to at most `maxBytes` UTF-8 bytes on a character boundary, with "…" added
    /// when anything was cut (the "…" counts towards the limit).
    public static func truncate(_ text: String, maxBytes: Int) -> String {
        if text.utf8.count <= maxBytes { return text }
        let budget = max(0, maxBytes - 3)
        var used = 0
        var out = ""
        for ch in text {
            let n = ch.utf8.count
            if used + n > budget { break }
            used += n
            out.append(ch)
        }
        return out + "…"
    }
}

/// The names under which served calls are counted (`Counters.Layer.rpcCalls`): the methods of
/// docs/protocol.md §8, and `other` for everything else, so a peer inventing method names cannot grow the
/// counter map. Stateless; thread-safe.
public enum MethodName {
    /// The methods a BitDust node serves.
    public static let served = ServedMethod.allCases.map(\.name)
    /// `served` as a set.
    public static let known = Set(served)
    /// The counter name for any other method.
    public static let other = "other"

    /// The counter key for `method`.
    public static func counterKey(_ method: String) -> String {
        ServedMethod(method)?.name ?? other
    }
}
