import NodeAPI
import Testing

/// The JSON model: strict parsing and valid, ASCII-only output.
@Suite struct JSONValueTests {
    @Test(arguments: ["{}", "[]", "0", "-1.5e+3", "\"a\\u00e9\\n\"", "{\"a\":[1,true,null,{\"b\":\"c\"}]}"])
    func validJSONRoundTrips(text: String) throws {
        let value = try #require(JSONValue(parsing: text))
        #expect(JSONValue(parsing: value.jsonText) == value)
    }

    @Test(arguments: ["", "01", "1.", ".5", "-", "1e", "+1", "1-2", "[1,]", "{\"a\"}", "\"\\x\"", "nul", "[1] x"])
    func invalidJSONIsRefused(text: String) {
        #expect(JSONValue(parsing: text) == nil)
    }

    @Test func outputIsCompactAsciiAndKeepsMemberOrder() throws {
        var f = JSONFields()
        f["z"] = .string("h\u{e9}\u{1b}\"")
        f["a"] = .int(-3)
        f["ms"] = .double(1.23456)
        f["nan"] = .double(.nan)
        f["z"] = .string("again")
        #expect(f.object.jsonText == #"{"z":"again","a":-3,"ms":1.235,"nan":null}"#)
        #expect(JSONValue.string("h\u{e9}\u{1b}").jsonText == #""h\u00e9\u001b""#)
    }

    @Test func nestingIsBounded() {
        #expect(JSONValue(parsing: String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) == nil)
        #expect(JSONValue(parsing: String(repeating: "[", count: 10) + String(repeating: "]", count: 10)) != nil)
    }
}

/// JSONValue reads strings through the shared lexer: a surrogate pair is one character.
@Suite struct JSONValueStringTests {
    @Test func surrogatePairsAreOneCharacterAndRawControlsAreKept() throws {
        let value = try #require(JSONValue(parsing: "[\"\\ud83d\\ude00\", \"a\u{1b}b\"]"))
        #expect(value == .array([.string("😀"), .string("a\u{1b}b")]))
        #expect(JSONValue(parsing: "\"\\u+abc\"") == nil)
    }
}
