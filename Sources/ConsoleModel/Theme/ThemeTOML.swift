/// The part of TOML that theme files use, read without any dependency: `key = value` lines,
/// `[table]` headers (dotted), `#` comments, and values that are basic or literal strings,
/// integers, booleans, inline tables or one-line arrays of these (the preferences file's column
/// lists). Anything else (floats, dates, multi-line strings or arrays) is refused with its line. Keys keep their file order; a key defined twice is refused.
/// Bounded: inline tables nest at most `maxDepth` deep. Pure; thread-safe; never traps.
enum ThemeTOML {
    /// A TOML value of the supported kinds.
    indirect enum Value: Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        case table(Table)
        case array([Value])

        var string: String? { if case .string(let s) = self { s } else { nil } }
        var int: Int? { if case .int(let i) = self { i } else { nil } }
        var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
        var table: Table? { if case .table(let t) = self { t } else { nil } }
        var array: [Value]? { if case .array(let a) = self { a } else { nil } }

        /// The value as a file writes it, for error messages.
        var shown: String {
            switch self {
            case .string(let s): "\"\(s)\""
            case .int(let i): "\(i)"
            case .bool(let b): "\(b)"
            case .table: "a table"
            case .array(let a): "[" + a.map(\.shown).joined(separator: ", ") + "]"
            }
        }
    }

    /// A table: its keys in file order.
    struct Table: Equatable {
        private(set) var entries: [(key: String, value: Value)] = []
        var keys: [String] { entries.map(\.key) }
        subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }

        static func == (a: Table, b: Table) -> Bool {
            a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        }

        /// Sets `path` (dotted) to `value`, creating tables on the way; false when the key exists
        /// already or a step on the way is not a table.
        mutating func insert(_ path: ArraySlice<String>, _ value: Value) -> Bool {
            guard let first = path.first else { return false }
            let index = entries.firstIndex { $0.key == first }
            if path.count == 1 {
                guard index == nil else { return false }
                entries.append((first, value))
                return true
            }
            var child: Table
            if let index {
                guard case .table(let t) = entries[index].value else { return false }
                child = t
            } else {
                child = Table()
            }
            guard child.insert(path.dropFirst(), value) else { return false }
            if let index { entries[index].value = .table(child) } else { entries.append((first, .table(child))) }
            return true
        }

        /// Whether `path` names a table (every step a table).
        func contains(table path: [String]) -> Bool {
            var t = self
            for k in path {
                guard let next = t[k]?.table else { return false }
                t = next
            }
            return true
        }
    }

    /// Why a text is not TOML this reader accepts, with its 1-based line.
    struct SyntaxError: Error, Equatable {
        var line: Int
        var message: String
    }

    static let maxDepth = 8
    /// The most values one array may hold.
    static let maxArrayCount = 256

    /// Parses `text`.
    static func parse(_ text: String) throws(SyntaxError) -> Table {
        var root = Table()
        var current: [String] = []
        var defined: [[String]] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Line(Array(raw.utf8), number: n + 1)
            line.skipSpace()
            if line.atEndOrComment { continue }
            if line.peek == UInt8(ascii: "[") {
                line.i += 1
                line.skipSpace()
                guard line.peek != UInt8(ascii: "[") else { throw line.error("arrays of tables are not supported") }
                let path = try line.key()
                line.skipSpace()
                guard line.peek == UInt8(ascii: "]") else { throw line.error("expected ] after the table name") }
                line.i += 1
                try line.expectEnd()
                guard !defined.contains(path) else { throw line.error("table [\(path.joined(separator: "."))] defined twice") }
                if !root.contains(table: path) {
                    guard root.insert(path[...], .table(Table())) else { throw line.error("[\(path.joined(separator: "."))] is not a table") }
                }
                defined.append(path)
                current = path
                continue
            }
            let (key, value) = try line.keyValue(depth: 0)
            try line.expectEnd()
            guard root.insert((current + key)[...], value) else {
                throw line.error("key \((current + key).joined(separator: ".")) defined twice")
            }
        }
        return root
    }

    /// One line being read.
    private struct Line {
        let bytes: [UInt8]
        let number: Int
        var i = 0

        init(_ bytes: [UInt8], number: Int) {
            self.bytes = bytes.last == 0x0D ? Array(bytes.dropLast()) : bytes
            self.number = number
        }

        var peek: UInt8? { i < bytes.count ? bytes[i] : nil }
        var atEndOrComment: Bool { peek == nil || peek == UInt8(ascii: "#") }

        func error(_ message: String) -> SyntaxError { SyntaxError(line: number, message: message) }

        mutating func skipSpace() {
            while let b = peek, b == 0x20 || b == 0x09 { i += 1 }
        }

        mutating func expectEnd() throws(SyntaxError) {
            skipSpace()
            guard atEndOrComment else { throw error("unexpected text after the value") }
        }

        /// `a`, `"a b"`, `a.b.c`.
        mutating func key() throws(SyntaxError) -> [String] {
            var parts: [String] = []
            repeat {
                if !parts.isEmpty { i += 1 }
                skipSpace()
                if peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "'") {
                    parts.append(try string())
                } else {
                    let start = i
                    while let b = peek, Self.isBare(b) { i += 1 }
                    guard i > start else { throw error("expected a key") }
                    parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                }
                skipSpace()
            } while peek == UInt8(ascii: ".")
            return parts
        }

        static func isBare(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || ((b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) || b == 0x5F || b == 0x2D
        }

        mutating func keyValue(depth: Int) throws(SyntaxError) -> ([String], Value) {
            let k = try key()
            guard peek == UInt8(ascii: "=") else { throw error("expected = after the key") }
            i += 1
            skipSpace()
            return (k, try value(depth: depth))
        }

        mutating func value(depth: Int) throws(SyntaxError) -> Value {
            guard let b = peek else { throw error("expected a value") }
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): return .string(try string())
            case UInt8(ascii: "{"): return .table(try inlineTable(depth: depth + 1))
            case UInt8(ascii: "["): return .array(try array(depth: depth + 1))
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                for (word, v) in [("true", true), ("false", false)] where bytes[i...].starts(with: word.utf8) {
                    i += word.utf8.count
                    if let next = peek, Self.isBare(next) { break }
                    return .bool(v)
                }
                throw error("expected true or false")
            default: return .int(try integer())
            }
        }

        /// `[v, v, …]` on one line (a trailing comma allowed), at most `maxArrayCount` values.
        mutating func array(depth: Int) throws(SyntaxError) -> [Value] {
            guard depth <= ThemeTOML.maxDepth else { throw error("arrays nested too deep") }
            i += 1
            var items: [Value] = []
            while true {
                skipSpace()
                if peek == UInt8(ascii: "]") {
                    i += 1
                    return items
                }
                guard items.count < ThemeTOML.maxArrayCount else { throw error("more than \(ThemeTOML.maxArrayCount) values in an array") }
                items.append(try value(depth: depth))
                skipSpace()
                guard let b = peek else { throw error("expected ] to close the array (arrays stay on one line)") }
                if b == UInt8(ascii: "]") { continue }
                guard b == UInt8(ascii: ",") else { throw error("expected , or ] in the array (arrays stay on one line)") }
                i += 1
            }
        }

        mutating func inlineTable(depth: Int) throws(SyntaxError) -> Table {
            guard depth <= ThemeTOML.maxDepth else { throw error("inline tables nested too deep") }
            i += 1
            var table = Table()
            skipSpace()
            if peek == UInt8(ascii: "}") {
                i += 1
                return table
            }
            while true {
                skipSpace()
                let (k, v) = try keyValue(depth: depth)
                guard table.insert(k[...], v) else { throw error("key \(k.joined(separator: ".")) defined twice") }
                skipSpace()
                guard let b = peek else { throw error("expected } to close the inline table") }
                i += 1
                if b == UInt8(ascii: "}") { return table }
                guard b == UInt8(ascii: ",") else { throw error("expected , or } in the inline table") }
            }
        }

        /// `[+-]digits` with single `_` between digits, or `0x` / `0o` / `0b` digits.
        mutating func integer() throws(SyntaxError) -> Int {
            let start = i
            while let b = peek, Self.isBare(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") { i += 1 }
            var text = String(decoding: bytes[start..<i], as: UTF8.self)
            guard !text.isEmpty else { throw error("expected a value") }
            guard !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__") else { throw error("bad number \(text)") }
            text = text.filter { $0 != "_" }
            var radix = 10
            for (prefix, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
                radix = r
                text.removeFirst(2)
            }
            if radix == 10 {
                let digits = text.first == "+" || text.first == "-" ? text.dropFirst() : text[...]
                guard !(digits.count > 1 && digits.hasPrefix("0")) else { throw error("bad number \(text)") }
            } else if text.first == "+" || text.first == "-" {
                throw error("bad number \(text)")
            }
            guard let v = Int(text, radix: radix) else {
                throw error("not an integer: \(text) (theme values are strings, integers, booleans or tables)")
            }
            return v
        }

        /// A basic `"…"` (escapes) or literal `'…'` string on this line.
        mutating func string() throws(SyntaxError) -> String {
            let quote = bytes[i]
            guard !bytes[i...].starts(with: [quote, quote, quote]) else { throw error("multi-line strings are not supported") }
            i += 1
            var out: [UInt8] = []
            while let b = peek {
                i += 1
                if b == quote { return String(decoding: out, as: UTF8.self) }
                guard b >= 0x20 || b == 0x09, b != 0x7F else { throw error("control character in a string") }
                guard quote == UInt8(ascii: "\""), b == UInt8(ascii: "\\") else {
                    out.append(b)
                    continue
                }
                guard let e = peek else { break }
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(e)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let count = e == UInt8(ascii: "u") ? 4 : 8
                    guard i + count <= bytes.count,
                        let v = UInt32(String(decoding: bytes[i..<i + count], as: UTF8.self), radix: 16),
                        let scalar = Unicode.Scalar(v)
                    else { throw error("bad \\u escape") }
                    i += count
                    out += Array(String(Character(scalar)).utf8)
                default: throw error("bad escape \\\(Character(Unicode.Scalar(e)))")
                }
            }
            throw error("unterminated string")
        }
    }
}
