import Testing

@testable import ConsoleModel

/// ThemeTOML, the TOML subset theme files are read with: what it accepts (with file order kept),
/// and what it refuses, with the line.
@Suite struct ThemeTOMLTests {
    @Test func readsTablesInlineTablesAndScalars() throws {
        let text = """
            # comment
            name = "dark" # trailing comment
            'literal key' = 'C:\\no\\escapes'
            escaped = "tab\\tquote\\"é\\u00e9\\U0001F600"

            [palette]
            b = 0x1F
            a = +1_000
            neg = -7

            [roles]
            normal = { fg = "text", bold = true, dim = false }
            empty = {}
            nested = { a = { b = 1 } }

            [a.b]
            c = 1
            """
        let t = try ThemeTOML.parse(text)
        #expect(t.keys == ["name", "literal key", "escaped", "palette", "roles", "a"])
        #expect(t["name"] == .string("dark"))
        #expect(t["literal key"] == .string("C:\\no\\escapes"))
        #expect(t["escaped"] == .string("tab\tquote\"éé😀"))
        let palette = try #require(t["palette"]?.table)
        #expect(palette.keys == ["b", "a", "neg"])
        #expect(palette["b"] == .int(31) && palette["a"] == .int(1000) && palette["neg"] == .int(-7))
        let normal = try #require(t["roles"]?.table?["normal"]?.table)
        #expect(normal.keys == ["fg", "bold", "dim"])
        #expect(normal["bold"] == .bool(true) && normal["dim"] == .bool(false))
        #expect(t["roles"]?.table?["empty"]?.table?.keys == [])
        #expect(t["roles"]?.table?["nested"]?.table?["a"]?.table?["b"] == .int(1))
        #expect(t["a"]?.table?["b"]?.table?["c"] == .int(1))
    }

    @Test func readsOneLineArrays() throws {
        let t = try ThemeTOML.parse("keys = [\"key\", 'type', ]\nempty = []\nmixed = [1, true, { a = 2 }]")
        #expect(t["keys"] == .array([.string("key"), .string("type")]))
        #expect(t["empty"] == .array([]))
        #expect(t["mixed"]?.array?.count == 3 && t["mixed"]?.array?[2].table?["a"] == .int(2))
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2),  // a key twice
        ("[t]\n[t]", 2),  // a table twice
        ("[t\nx = 1", 1),  // unclosed header
        ("x = [1, 2", 1),  // an array stays on one line
        ("x = [1 2]", 1),
        ("x = [" + String(repeating: "1, ", count: 300) + "]", 1),  // more values than an array holds
        ("x = 1.5", 1),  // floats neither
        ("x = 1979-05-27", 1),  // nor dates
        ("x = \"\"\"multi\"\"\"", 1),
        ("\n\nx = \"unterminated", 3),
        ("x = \"bad \\q escape\"", 1),
        ("x = { a = 1", 1),
        ("x = { a = 1 b = 2 }", 1),
        ("x = 1 y = 2", 1),
        ("x = 01", 1),  // leading zero
        ("x = 1__0", 1),
        ("x = truex", 1),
        ("x", 1),
        ("= 1", 1),
        ("x = 1\nx.y = 2", 2),  // x is not a table
        ("x = 99999999999999999999999", 1),
        ("x = " + String(repeating: "{ a = ", count: 20) + "1" + String(repeating: " }", count: 20), 1)
    ])
    func refusesWithTheLine(text: String, line: Int) {
        #expect(throws: ThemeTOML.SyntaxError.self) { try ThemeTOML.parse(text) }
        do {
            _ = try ThemeTOML.parse(text)
        } catch {
            #expect(error.line == line, "\(error)")
        }
    }

    @Test func randomLinesNeverTrap() {
        var s: UInt64 = 0x5EED_1234_ABCD_0001
        let alphabet = Array("ab_-.=\"'{}[],# \t\\u0x1+-tfrue\n".utf8)
        for _ in 0..<20_000 {
            s ^= s << 13
            s ^= s >> 7
            s ^= s << 17
            var r = s
            let bytes = (0..<Int(r % 40)).map { _ -> UInt8 in
                r = r &* 6_364_136_223_846_793_005 &+ 1
                return alphabet[Int(r >> 33) % alphabet.count]
            }
            _ = try? ThemeTOML.parse(String(decoding: bytes, as: UTF8.self))
        }
    }
}
