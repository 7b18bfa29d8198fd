import BitDustRecords
import DHTWire

/// Short human-readable renderings of durations, sizes and ids used by every pane.
/// Pure and thread-safe.
public enum Format {
    /// `850ms`, `4.2s`, `3m12s`, `5h03m`, `2d04h`; negative spans read as `0s`.
    public static func age(_ d: Duration) -> String { age(seconds: d.seconds) }

    /// Like `age(_:)`, from seconds. Any value is safe: NaN reads `-`, spans beyond
    /// `longestAge` read `>300y` (values from the network can be anything).
    public static func age(seconds s: Double) -> String {
        guard !s.isNaN else { return "-" }
        if s < 0 { return "0s" }
        if s >= longestAge { return ">300y" }
        if s < 1 { return "\(Int(s * 1000))ms" }
        if s < 10 { return fixed(s, 1) + "s" }
        let t = Int(s)
        if t < 60 { return "\(t)s" }
        if t < 3600 { return "\(t / 60)m" + pad2(t % 60) + "s" }
        if t < 86400 { return "\(t / 3600)h" + pad2(t % 3600 / 60) + "m" }
        return "\(t / 86400)d" + pad2(t % 86400 / 3600) + "h"
    }

    /// The longest span `age(seconds:)` spells out (about 317 years); anything longer is `>300y`.
    public static let longestAge: Double = 10_000_000_000

    /// `to - from` in seconds, computed in floating point so that no pair of Unix times (both
    /// possibly from the network, anywhere in Int64) can overflow.
    public static func seconds(from: Int64, to: Int64) -> Double { Double(to) - Double(from) }

    /// Milliseconds with one decimal: `4.2 ms`.
    public static func millis(_ d: Duration) -> String { fixed(d.milliseconds, 1) + " ms" }

    /// A compact latency: `4.2ms`, `200ms`, `1.3s`, `2m05s`.
    public static func latency(_ d: Duration) -> String {
        let ms = d.milliseconds
        if ms < 10 { return fixed(ms, 1) + "ms" }
        if ms < 1000 { return "\(Int(ms.rounded()))ms" }
        return age(d)
    }

    /// `512B`, `3.4K`, `1.2M`.
    public static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n)B" }
        if n < 1024 * 1024 { return fixed(Double(n) / 1024, 1) + "K" }
        return fixed(Double(n) / 1048576, 1) + "M"
    }

    /// `x` with `digits` decimals, without Foundation.
    public static func fixed(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return "-" }
        // Beyond 1e15 the integer conversions below could trap; such figures are shown as Swift
        // prints them (`1e+20`).
        guard abs(x) < 1e15 else { return "\(x)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let r = (abs(x) * scale).rounded()
        let whole = Int(r / scale)
        let frac = Int(r) - whole * Int(scale)
        let sign = x < 0 && r != 0 ? "-" : ""
        if digits == 0 { return sign + "\(whole)" }
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        return sign + "\(whole).\(f)"
    }

    /// A percentage of `part` in `whole` with no decimals, `-` when `whole` is 0.
    public static func percent(_ part: Int, of whole: Int) -> String {
        whole == 0 ? "-" : "\(Int((Double(part) * 100 / Double(whole)).rounded()))%"
    }

    /// The first `n` hex digits of an id.
    public static func id(_ id: NodeID?, _ n: Int = 8) -> String { id.map { $0.shortHex(n) } ?? "?" }

    /// `s`, sanitized, cut to `width` terminal columns with `…` (or `~` in ASCII) marking the
    /// cut; wide characters count two columns (`TextWidth`).
    public static func clip(_ s: String, _ width: Int, ascii: Bool = false) -> String {
        if width <= 0 { return "" }
        // Printable ASCII (ids, numbers, addresses): one column a character, nothing to escape.
        if s.utf8.count <= width, s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7f }) { return s }
        let clean = Sanitizer.clean(s)
        if TextWidth.columns(clean) <= width { return clean }
        return String(TextWidth.prefix(clean, columns: width - 1)) + (ascii ? "~" : "…")
    }

    /// `s`, sanitized, padded with spaces (or cut) to exactly `width` terminal columns;
    /// right-aligned when `right`.
    public static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let c = clip(s, width)
        let fill = String(repeating: " ", count: max(0, width - TextWidth.columns(c)))
        return right ? fill + c : c + fill
    }

    static func pad2(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
