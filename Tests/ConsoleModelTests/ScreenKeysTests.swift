import ConsoleModel
import DHTCore
import DHTWire
import Testing

/// F-keys and the mouse reach the same actions as their letter keys (`ConsoleState+Screen`).
@Suite struct ScreenKeysTests {
    /// A state with three stored keys and two contacts.
    static func state() -> ConsoleState {
        var st = freshState()
        for (n, key) in ["aaa", "bbb", "ccc"].enumerated() {
            st.feed(.valueStored(layer: 0, key: nil, keyText: key, bytes: 10, publisher: nil, from: nil), at: t(Double(n + 1)))
        }
        st.feed(.contactAdded(layer: 0, contact: contact(2), bucket: 0), .contactAdded(layer: 0, contact: contact(3), bucket: 0))
        return st
    }

    @Test func functionKeysDoWhatTheirLettersDo() {
        var st = Self.state()
        #expect(st.press(.function(1)) == .redraw)
        #expect(st.showHelp)
        _ = st.press(.function(1))  // any key closes the help
        #expect(!st.showHelp)
        _ = st.press(.char("3"), .function(6))
        #expect(st.keys.sort == .expires)
        _ = st.press(.function(3))
        #expect(st.prompt.mode == .filter(.keys))
        st.type("bb")
        #expect(st.keys.rows(layer: 0).map(\.keyText) == ["bbb"])
        _ = st.press(.enter)
        _ = st.press(.char("1"), .function(6))
        #expect(st.prompt.message.contains("K-buckets sorted by"))  // F6 sorts the focused table, as s does
        #expect(st.press(.function(10)) == .quit)
        #expect(st.press(.function(5)) == ConsoleIntent.none)
    }

    @Test func clickFocusesSelectsAndOpens() {
        var st = Self.state()
        #expect(st.focus == .buckets)
        _ = st.press(.click(.keys, item: 2))
        #expect(st.focus == .keys && st.keys.selection == 2)
        _ = st.press(.click(.keys, item: 2))  // the selected row again: open it
        #expect(st.focus == .record)
        _ = st.press(.click(.buckets, item: 0))
        #expect(st.focus == .buckets && st.buckets.openRow == nil)
        _ = st.press(.click(.buckets, item: 0))
        #expect(st.buckets.openRow == 0)
        _ = st.press(.click(.buckets, item: 1))
        #expect(st.buckets.contactSelection == 1)
        _ = st.press(.click(.events, item: nil))
        #expect(st.focus == .events)
        _ = st.press(.click(.keys, item: 99))  // beyond the list: clamped
        #expect(st.keys.selection == 2)
    }

    @Test func wheelMovesThePaneUnderThePointer() {
        var st = Self.state()
        for n in 0..<30 { st.feed(.contactAdded(layer: 0, contact: contact(UInt32(100 + n)), bucket: 0)) }
        _ = st.press(.wheel(.events, -3))
        #expect(st.focus == .events && st.events.scroll == 3)
        _ = st.press(.wheel(.events, 3))
        #expect(st.events.scroll == 0)
        _ = st.press(.wheel(.keys, 3))
        #expect(st.focus == .keys && st.keys.selection == 2)
    }

    /// While a line is typed, F-keys and clicks do not act on the panes.
    @Test func promptKeepsItsKeys() {
        var st = Self.state()
        _ = st.press(.char(":"))
        _ = st.press(.click(.keys, item: 1))
        #expect(st.prompt.isEditing && st.focus == .buckets)
    }
}
