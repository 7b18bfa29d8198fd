import BitDustRecords
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The width table agrees with glibc's `wcwidth` (what ncursesw advances its cursor by) for every
/// scalar the sanitizer lets through.
@Suite(.serialized) struct TextWidthTests {
    @Test func tableMatchesWcwidthForEverySanitizedScalar() throws {
        let previous = String(cString: setlocale(LC_CTYPE, nil))
        defer { setlocale(LC_CTYPE, previous) }
        try #require(setlocale(LC_CTYPE, "C.UTF-8") != nil, "the C.UTF-8 locale is missing")
        // glibc's wcwidth, which Swift's Glibc module does not declare.
        let symbol = try #require(dlsym(dlopen(nil, RTLD_NOW), "wcwidth"), "no wcwidth in the C library")
        let wcwidth = unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
        var compared = 0
        var mismatches: [String] = []
        for value in UInt32(0x20)..<0x40000 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            guard Sanitizer.clean(text) == text else { continue }
            let w = wcwidth(wchar_t(bitPattern: value))
            // -1: a code point this glibc does not know yet (newer Unicode than its tables).
            guard w >= 0 else { continue }
            compared += 1
            if Int(w) != TextWidth.columns(scalar) { mismatches.append("\(String(value, radix: 16)): wcwidth \(w)") }
        }
        #expect(compared > 100_000)
        #expect(mismatches.isEmpty, "\(mismatches.prefix(20))")
    }
}
