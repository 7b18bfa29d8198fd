/// A small, bounded, non-validating XML reader, enough for BitDust identity documents (what
/// Python's minidom writes): one root element, nested elements, attributes (checked and
/// ignored), text with the five predefined entities and character references, CDATA sections,
/// comments, processing instructions and the XML declaration. A DOCTYPE is refused, so no entity
/// is ever defined or expanded. Anything not well-formed is refused. Iterative (no recursion);
/// nesting beyond `maxDepth` is refused. Pure; thread-safe; never traps on any input.
struct BoundedXMLReader {
    /// What the reader reports, in document order. Text may arrive in several pieces.
    enum Event {
        case start(String)
        case text(ArraySlice<UInt8>)
        case end(String)
    }

    static let maxDepth = 64

    private let bytes: [UInt8]
    private var i = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads `bytes`, calling `handle` per event; true when the whole input is one well-formed
    /// document. Events already delivered before a refusal are not taken back.
    static func read(_ bytes: [UInt8], _ handle: (Event) -> Void) -> Bool {
        var reader = BoundedXMLReader(bytes)
        return reader.document(handle)
    }

    private mutating func document(_ handle: (Event) -> Void) -> Bool {
        if hasPrefix([0xEF, 0xBB, 0xBF]) { i += 3 }
        guard misc() else { return false }
        guard i < bytes.count, bytes[i] == ascii("<") else { return false }
        guard element(handle) else { return false }
        guard misc() else { return false }
        return i == bytes.count
    }

    /// Whitespace, comments and processing instructions (outside the root element).
    private mutating func misc() -> Bool {
        while true {
            skipSpace()
            if hasPrefix(Array("<!--".utf8)) {
                guard skip(past: Array("-->".utf8), from: i + 4) else { return false }
            } else if hasPrefix(Array("<?".utf8)) {
                guard skip(past: Array("?>".utf8), from: i + 2) else { return false }
            } else {
                return true
            }
        }
    }

    /// The root element and everything in it, without recursion.
    private mutating func element(_ handle: (Event) -> Void) -> Bool {
        var open: [String] = []
        repeat {
            guard i < bytes.count else { return false }
            if bytes[i] != ascii("<") {
                let start = i
                while i < bytes.count, bytes[i] != ascii("<"), bytes[i] != ascii("&") { i += 1 }
                if i > start { handle(.text(bytes[start..<i])) }
                if i < bytes.count, bytes[i] == ascii("&") {
                    guard let scalar = reference() else { return false }
                    handle(.text(ArraySlice(Array(String(Character(scalar)).utf8))))
                }
            } else if hasPrefix(Array("</".utf8)) {
                i += 2
                guard let name = name(), name == open.last else { return false }
                skipSpace()
                guard i < bytes.count, bytes[i] == ascii(">") else { return false }
                i += 1
                open.removeLast()
                handle(.end(name))
            } else if hasPrefix(Array("<!--".utf8)) {
                guard !open.isEmpty, skip(past: Array("-->".utf8), from: i + 4) else { return false }
            } else if hasPrefix(Array("<![CDATA[".utf8)) {
                guard !open.isEmpty else { return false }
                let start = i + 9
                guard let end = find(Array("]]>".utf8), from: start) else { return false }
                if end > start { handle(.text(bytes[start..<end])) }
                i = end + 3
            } else if hasPrefix(Array("<?".utf8)) {
                guard !open.isEmpty, skip(past: Array("?>".utf8), from: i + 2) else { return false }
            } else {
                i += 1
                guard open.count < Self.maxDepth, let name = name(), let empty = attributes() else { return false }
                handle(.start(name))
                if empty { handle(.end(name)) } else { open.append(name) }
            }
        } while !open.isEmpty
        return true
    }

    /// After a start tag's name: attributes up to `>` (false) or `/>` (true); nil when malformed.
    private mutating func attributes() -> Bool? {
        while true {
            let spaced = skipSpace()
            guard i < bytes.count else { return nil }
            if bytes[i] == ascii(">") {
                i += 1
                return false
            }
            if hasPrefix(Array("/>".utf8)) {
                i += 2
                return true
            }
            guard spaced, name() != nil else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == ascii("=") else { return nil }
            i += 1
            skipSpace()
            guard i < bytes.count, bytes[i] == ascii("\"") || bytes[i] == ascii("'") else { return nil }
            let quote = bytes[i]
            i += 1
            while i < bytes.count, bytes[i] != quote {
                guard bytes[i] != ascii("<") else { return nil }
                if bytes[i] == ascii("&") {
                    guard reference() != nil else { return nil }
                } else {
                    i += 1
                }
            }
            guard i < bytes.count else { return nil }
            i += 1
        }
    }

    /// `&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#N;` `&#xH;` at `i`; nil for anything else.
    private mutating func reference() -> Unicode.Scalar? {
        guard let semicolon = find([ascii(";")], from: i + 1), semicolon - i <= 12 else { return nil }
        let body = Array(bytes[(i + 1)..<semicolon])
        i = semicolon + 1
        switch String(decoding: body, as: UTF8.self) {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default: break
        }
        guard body.count >= 2, body[0] == ascii("#") else { return nil }
        let hex = body[1] == ascii("x")
        let digits = String(decoding: body[(hex ? 2 : 1)...], as: UTF8.self)
        guard !digits.isEmpty, digits.utf8.allSatisfy(\.isHexDigitByte),
            let v = UInt32(digits, radix: hex ? 16 : 10), let scalar = Unicode.Scalar(v), Self.isXMLChar(v)
        else { return nil }
        return scalar
    }

    /// XML 1.0's Char production (no NUL, no other C0 control but tab, LF and CR).
    private static func isXMLChar(_ v: UInt32) -> Bool {
        v == 0x9 || v == 0xA || v == 0xD || (0x20...0xD7FF).contains(v) || (0xE000...0xFFFD).contains(v)
            || (0x10000...0x10FFFF).contains(v)
    }

    /// A name: a letter, `_`, `:` or any non-ASCII byte, then those, digits, `-` and `.`.
    private mutating func name() -> String? {
        let start = i
        while i < bytes.count {
            let b = bytes[i]
            let letter = (b | 0x20) >= ascii("a") && (b | 0x20) <= ascii("z")
            let first = letter || b == ascii("_") || b == ascii(":") || b >= 0x80
            let later = first || (b >= ascii("0") && b <= ascii("9")) || b == ascii("-") || b == ascii(".")
            guard i == start ? first : later else { break }
            i += 1
        }
        return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
    }

    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = i
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D { i += 1 }
        return i > start
    }

    private func hasPrefix(_ p: [UInt8]) -> Bool {
        guard i + p.count <= bytes.count else { return false }
        for k in 0..<p.count where bytes[i + k] != p[k] { return false }
        return true
    }

    /// The index of the first `p` at or after `from`.
    private func find(_ p: [UInt8], from: Int) -> Int? {
        guard from >= 0, p.count > 0 else { return nil }
        var k = from
        while k + p.count <= bytes.count {
            if bytes[k] == p[0] && bytes[k..<k + p.count].elementsEqual(p) { return k }
            k += 1
        }
        return nil
    }

    /// Moves past the first `p` at or after `from`; false when there is none.
    private mutating func skip(past p: [UInt8], from: Int) -> Bool {
        guard let at = find(p, from: from) else { return false }
        i = at + p.count
        return true
    }
}

private func ascii(_ c: Unicode.Scalar) -> UInt8 { UInt8(c.value) }

extension UInt8 {
    fileprivate var isHexDigitByte: Bool {
        (self >= 0x30 && self <= 0x39) || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x66)
    }
}
