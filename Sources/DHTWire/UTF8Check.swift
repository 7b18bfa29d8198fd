/// Strict UTF-8 validation as Python's `bytes.decode('utf-8')` performs it: no overlong forms,
/// no surrogates (U+D800…U+DFFF), nothing above U+10FFFF, no truncated sequences.
/// Stateless and allocation-free; thread-safe.
public enum UTF8Check {
    /// True if `bytes` is entirely well-formed UTF-8.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = bytes.count
        var i = 0
        // ASCII fast path, eight bytes at a time where alignment allows.
        while i < n {
            if n - i >= 8 {
                let word = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            switch b0 {
            case 0xC2...0xDF:
                guard i + 1 < n, isContinuation(bytes[i + 1]) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard i + 2 < n else { return false }
                let b1 = bytes[i + 1]
                // E0 needs A0…BF (no overlongs); ED needs 80…9F (no surrogates).
                let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
                let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
                guard b1 >= low, b1 <= high, isContinuation(bytes[i + 2]) else { return false }
                i += 3
            case 0xF0...0xF4:
                guard i + 3 < n else { return false }
                let b1 = bytes[i + 1]
                // F0 needs 90…BF (no overlongs); F4 needs 80…8F (at most U+10FFFF).
                let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
                let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
                guard b1 >= low, b1 <= high, isContinuation(bytes[i + 2]), isContinuation(bytes[i + 3]) else {
                    return false
                }
                i += 4
            default:
                // 80…C1 (stray continuation or overlong lead) and F5…FF are never valid leads.
                return false
            }
        }
        return true
    }

    /// True if `bytes` is entirely well-formed UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0) }
    }

    @inline(__always)
    private static func isContinuation(_ b: UInt8) -> Bool { b & 0xC0 == 0x80 }
}
