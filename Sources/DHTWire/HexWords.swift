/// Eight hex digits at a time, read or written as one 64-bit word (SIMD within a register):
/// what every id on the wire costs, three times per datagram, in a handful of instructions
/// instead of a loop over 40 bytes. Pure functions; thread-safe.
///
/// A word holds eight ASCII bytes in memory order, loaded little-endian: the first (most
/// significant) digit is the word's low byte.
enum HexWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte set where that byte lies in `lo...hi`, for bytes below 0x80
    /// (a byte at or above 0x80 must be rejected separately): adding `0x80 - lo` reaches the
    /// high bit when the byte is at least `lo`, adding `0x7f - hi` when it is above `hi`; no
    /// byte's sum carries into the next.
    @inline(__always)
    static func inRange(_ x: UInt64, _ lo: UInt8, _ hi: UInt8) -> UInt64 {
        let atLeast = (x &+ ones &* UInt64(0x80 - lo)) & highBits
        let above = (x &+ ones &* UInt64(0x7f - hi)) & highBits
        return atLeast & ~above
    }

    /// The 32-bit number the eight hex digits (either case) in `x` spell, or nil when any byte
    /// is not a hex digit.
    @inline(__always)
    static func parse(_ x: UInt64) -> UInt32? {
        // '0'-'9' as they are; letters folded to lower case ('A' | 0x20 == 'a'). Folding
        // digits too would let 0x10-0x19 pass as '0'-'9'.
        let digits = inRange(x, 0x30, 0x39)
        let letters = inRange(x | 0x2020_2020_2020_2020, 0x61, 0x66)
        guard x & highBits == 0, digits | letters == highBits else { return nil }
        // Each byte's value: its low four bits, plus 9 for a letter (bit 6 set).
        let nibbles = (x & 0x0f0f_0f0f_0f0f_0f0f) &+ ((x >> 6) & ones) &* 9
        // Pairs of nibbles into bytes, pairs of bytes into 16 bits, then into 32: the first
        // digit ends up in the low byte's high nibble, so the result is byte-swapped.
        let pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff
        let quads = (pairs | (pairs >> 8)) & 0x0000_ffff_0000_ffff
        let all = UInt32(truncatingIfNeeded: quads | (quads >> 16))
        return all.byteSwapped
    }

    /// The eight lowercase hex digits of `value`, most significant first, as a word to store
    /// little-endian.
    @inline(__always)
    static func format(_ value: UInt32) -> UInt64 {
        // The bytes in memory order (most significant first) spread one per 16 bits, then each
        // byte's two nibbles one per byte: the high nibble first.
        let bytes = UInt64(value.byteSwapped)
        let spread16 = (bytes | (bytes << 16)) & 0x0000_ffff_0000_ffff
        let spread8 = (spread16 | (spread16 << 8)) & 0x00ff_00ff_00ff_00ff
        let nibbles = ((spread8 >> 4) | (spread8 << 8)) & 0x0f0f_0f0f_0f0f_0f0f
        // '0' + n, plus 39 more ('a' - '0' - 10) where n > 9: n + 6 reaches bit 4 exactly then.
        let letters = ((nibbles &+ ones &* 6) >> 4) & ones
        return nibbles &+ ones &* 0x30 &+ letters &* 39
    }
}
