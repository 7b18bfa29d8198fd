import ConsoleModel
import Testing

@testable import ConsoleTUI

/// The preferences file's `[columns]` chooses the columns a table draws; the others are gone
/// and the chosen ones take the room.
@Suite struct ColumnPreferencesTests {
    func keysHeader(_ st: ConsoleState) throws -> String {
        let r = try #require(Layout(width: st.width, height: st.height).panes[.keys])
        let text = ScreenRenderer.render(st).surface.text.split(separator: "\n").map(String.init)
        return String(Array(text[r.y + 1])[r.x..<(r.x + r.width)])
    }

    @Test func theKeysTableShowsOnlyTheChosenColumns() throws {
        var st = SampleState.make(width: 120, height: 40)
        let all = try keysHeader(st)
        #expect(all.contains("rev") && all.contains("size"), "\(all)")
        st.options.columns = ["keys": ["key", "type", "expires"]]
        let chosen = try keysHeader(st)
        #expect(chosen.contains("key") && chosen.contains("type") && chosen.contains("expires"), "\(chosen)")
        #expect(!chosen.contains("rev") && !chosen.contains("size") && !chosen.contains("owner"), "\(chosen)")
    }

    @Test func aTableTheFileDoesNotNameKeepsEveryColumn() throws {
        var st = SampleState.make(width: 120, height: 40)
        let before = try keysHeader(st)
        st.options.columns = ["contacts": ["id", "rtt"]]
        #expect(try keysHeader(st) == before)
    }
}
