import ConsoleModel
import Foundation
import Testing

/// The preferences file: every setting, and a clear error for every bad value.
@Suite struct PreferencesTests {
    @Test func readsEverySetting() throws {
        let text = """
            theme = "light"
            fps = 8
            layer = 2

            [columns]
            keys = ["key", "type", "expires"]
            buckets = ["pfx", "fill"]
            """
        let prefs = try Preferences.parse(text, file: "config.toml")
        #expect(prefs == Preferences(theme: "light", fps: 8, layer: 2, columns: ["keys": ["key", "type", "expires"], "buckets": ["pfx", "fill"]]))
        #expect(try Preferences.parse("", file: "config.toml") == Preferences())
    }

    @Test(arguments: [
        ("fps = 0", "config.toml:1: fps: must be a whole number 1-60, not 0"),
        ("fps = \"fast\"", "config.toml:1: fps: must be a whole number 1-60, not \"fast\""),
        ("\nlayer = 12", "config.toml:2: layer: must be a layer number 0-9, not 12"),
        ("theme = 3", "config.toml:1: theme: must be a theme name or path in quotes, e.g. theme = \"light\""),
        ("colour = 1", "config.toml:1: colour: unknown setting (known: theme, fps, layer, columns)"),
        ("columns = 3", "config.toml:1: columns: must be a table, e.g. [columns] then keys = [\"key\", \"type\"]"),
        ("[columns]\nkeys = [\"key\", \"nonsense\"]", "config.toml:2: columns.keys: unknown column \"nonsense\" (known: key, type, owner,"),
        ("[columns]\npeers = [\"id\"]", "config.toml:2: columns.peers: unknown table (known: buckets, contacts, inflight, keys)"),
        ("fps = ", "config.toml:1: TOML syntax:")
    ])
    func badValuesSayWhatIsAllowed(text: String, expected: String) {
        do {
            _ = try Preferences.parse(text, file: "config.toml")
            Issue.record("\(text) should not parse")
        } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    /// The layouts ask the state which columns the file chose, by header title.
    @Test func columnsChooseByTitleOrItsFirstWord() {
        let st = ConsoleState(options: .init(columns: ["keys": ["key", "owner"], "buckets": ["pfx"]]))
        #expect(st.showsColumn("keys", titles: ["key"]))
        #expect(st.showsColumn("keys", titles: ["owner / bitdust key", "owner"]))
        #expect(!st.showsColumn("keys", titles: ["expires"]))
        #expect(st.showsColumn("buckets", titles: ["prefix", "pfx"]))
        #expect(st.showsColumn("contacts", titles: ["rtt"]))
        #expect(ConsoleState().showsColumn("keys", titles: ["expires"]))
    }

    @Test func aMissingFileIsNoPreferences() throws {
        #expect(try Preferences.load("/nonexistent/dhtop/config.toml") == Preferences())
    }
}
