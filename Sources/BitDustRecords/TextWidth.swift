/// How many terminal columns text takes once `Sanitizer.clean` made it safe: 2 for East Asian
/// wide and fullwidth characters and emoji, 1 for everything else (sanitized text holds no
/// zero-width scalar). The table is glibc's `wcwidth` (C.UTF-8, the function ncursesw advances
/// its cursor by), generated from it with unassigned code points merged into the ranges around
/// them; `TextWidthTests` checks it against `wcwidth` for every scalar the sanitizer keeps.
///
/// Pure; thread-safe.
public enum TextWidth {
    /// The columns of one scalar.
    public static func columns(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x1100 { return 1 }
        var low = 0
        var high = wide.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if v < wide[mid].0 {
                high = mid - 1
            } else if v > wide[mid].1 {
                low = mid + 1
            } else {
                return 2
            }
        }
        return 1
    }

    /// The columns of a character of sanitized text (one scalar).
    public static func columns(_ character: Character) -> Int {
        character.unicodeScalars.first.map(columns) ?? 0
    }

    /// The columns of sanitized text.
    public static func columns(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.utf8.count }
        return text.reduce(0) { $0 + columns($1) }
    }

    /// The longest prefix of sanitized `text` that fits in `columns`.
    public static func prefix(_ text: String, columns limit: Int) -> Substring {
        var used = 0
        var end = text.startIndex
        for i in text.indices {
            let w = columns(text[i])
            if used + w > limit { break }
            used += w
            end = text.index(after: i)
        }
        return text[..<end]
    }

    /// Wide ranges, sorted, inclusive.
    static let wide: [(UInt32, UInt32)] = [
        (0x1100, 0x115f),
        (0x231a, 0x231b),
        (0x2329, 0x232a),
        (0x23e9, 0x23ec),
        (0x23f0, 0x23f0),
        (0x23f3, 0x23f3),
        (0x25fd, 0x25fe),
        (0x2614, 0x2615),
        (0x2648, 0x2653),
        (0x267f, 0x267f),
        (0x2693, 0x2693),
        (0x26a1, 0x26a1),
        (0x26aa, 0x26ab),
        (0x26bd, 0x26be),
        (0x26c4, 0x26c5),
        (0x26ce, 0x26ce),
        (0x26d4, 0x26d4),
        (0x26ea, 0x26ea),
        (0x26f2, 0x26f3),
        (0x26f5, 0x26f5),
        (0x26fa, 0x26fa),
        (0x26fd, 0x26fd),
        (0x2705, 0x2705),
        (0x270a, 0x270b),
        (0x2728, 0x2728),
        (0x274c, 0x274c),
        (0x274e, 0x274e),
        (0x2753, 0x2755),
        (0x2757, 0x2757),
        (0x2795, 0x2797),
        (0x27b0, 0x27b0),
        (0x27bf, 0x27bf),
        (0x2b1b, 0x2b1c),
        (0x2b50, 0x2b50),
        (0x2b55, 0x2b55),
        (0x2e80, 0x3029),
        (0x302e, 0x303e),
        (0x3041, 0x3096),
        (0x309b, 0xa4c6),
        (0xa960, 0xa97c),
        (0xac00, 0xd7a3),
        (0xf900, 0xfad9),
        (0xfe10, 0xfe19),
        (0xfe30, 0xfe6b),
        (0xff01, 0xff60),
        (0xffe0, 0xffe6),
        (0x16fe0, 0x16fe3),
        (0x16ff0, 0x1b2fb),
        (0x1f004, 0x1f004),
        (0x1f0cf, 0x1f0cf),
        (0x1f18e, 0x1f18e),
        (0x1f191, 0x1f19a),
        (0x1f200, 0x1f320),
        (0x1f32d, 0x1f335),
        (0x1f337, 0x1f37c),
        (0x1f37e, 0x1f393),
        (0x1f3a0, 0x1f3ca),
        (0x1f3cf, 0x1f3d3),
        (0x1f3e0, 0x1f3f0),
        (0x1f3f4, 0x1f3f4),
        (0x1f3f8, 0x1f43e),
        (0x1f440, 0x1f440),
        (0x1f442, 0x1f4fc),
        (0x1f4ff, 0x1f53d),
        (0x1f54b, 0x1f54e),
        (0x1f550, 0x1f567),
        (0x1f57a, 0x1f57a),
        (0x1f595, 0x1f596),
        (0x1f5a4, 0x1f5a4),
        (0x1f5fb, 0x1f64f),
        (0x1f680, 0x1f6c5),
        (0x1f6cc, 0x1f6cc),
        (0x1f6d0, 0x1f6d2),
        (0x1f6d5, 0x1f6df),
        (0x1f6eb, 0x1f6ec),
        (0x1f6f4, 0x1f6fc),
        (0x1f7e0, 0x1f7f0),
        (0x1f90c, 0x1f93a),
        (0x1f93c, 0x1f945),
        (0x1f947, 0x1f9ff),
        (0x1fa70, 0x1faf6),
        (0x20000, 0x3134a)
    ]
}
