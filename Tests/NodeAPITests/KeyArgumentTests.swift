import DHTCore
import DHTWire
import NodeAPI
import Testing

/// The one key rule every command and the prompt follow.
@Suite struct KeyArgumentTests {
    static let hex = String(repeating: "0f", count: 20)

    @Test func aKeyIsHashedEvenWhenItLooksLikeHex() throws {
        #expect(try KeyArgument("nodeState").id == DHTKey.hash("nodeState"))
        #expect(try KeyArgument(Self.hex).id == DHTKey.hash(Self.hex))
    }

    @Test func rawKeysAreFortyHexDigitsUsedAsIs() throws {
        #expect(try KeyArgument(Self.hex, raw: true).id == NodeID(hex: Self.hex))
        for bad in ["", "abc", Self.hex + "0", String(Self.hex.dropLast()) + "g", "\u{1b}[2J"] {
            #expect(throws: KeyArgument.Invalid.self) { try KeyArgument(bad, raw: true) }
        }
        let error = #expect(throws: KeyArgument.Invalid.self) { try KeyArgument("a\u{1b}b", raw: true) }
        #expect(error?.description == "--raw-key needs exactly 40 hex digits, got 'a\\x1bb'")
    }

    @Test func findTakesFortyHexDigitsAsAnIdAndHashesAnythingElse() throws {
        #expect(try KeyArgument.findTarget(Self.hex).id == NodeID(hex: Self.hex))
        #expect(try KeyArgument.findTarget("nodeState").id == DHTKey.hash("nodeState"))
        #expect(try KeyArgument.findTarget(Self.hex, raw: true).id == NodeID(hex: Self.hex))
        #expect(throws: KeyArgument.Invalid.self) { try KeyArgument.findTarget("nodeState", raw: true) }
    }
}
