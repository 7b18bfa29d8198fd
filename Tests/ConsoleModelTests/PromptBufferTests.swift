import ConsoleModel
import Testing

@Suite struct PromptBufferTests {
    func buffer(_ s: String) -> PromptBuffer {
        var b = PromptBuffer()
        b.set(s)
        return b
    }

    @Test func insertAndMoveWithArrowsAndCtrlAE() {
        var b = buffer("get")
        b.edit(.ctrl("a"))
        b.edit(.char("x"))
        #expect(b.line == "xget" && b.cursor == 1)
        b.edit(.ctrl("e"))
        b.edit(.left)
        b.edit(.backspace)
        #expect(b.line == "xgt" && b.cursor == 2)
        b.edit(.right)
        b.edit(.right)
        #expect(b.cursor == 3)
    }

    @Test func ctrlUErasesToStartAndCtrlWErasesWord() {
        var b = buffer("set key value")
        b.edit(.ctrl("w"))
        #expect(b.line == "set key ")
        b.edit(.ctrl("w"))
        #expect(b.line == "set ")
        b.edit(.left)
        b.edit(.ctrl("u"))
        #expect(b.line == " " && b.cursor == 0)
    }

    @Test func historyWalksUpAndDownAndKeepsDraft() {
        var b = PromptBuffer()
        b.set("get a")
        _ = b.submit()
        b.set("get b")
        _ = b.submit()
        b.set("get b")
        _ = b.submit()  // no repeat in a row
        #expect(b.history == ["get a", "get b"])
        b.set("dra")
        b.edit(.up)
        #expect(b.line == "get b")
        b.edit(.up)
        b.edit(.up)
        #expect(b.line == "get a")
        b.edit(.down)
        #expect(b.line == "get b")
        b.edit(.down)
        #expect(b.line == "dra")
    }
}

@Suite struct TabCompleterTests {
    let completer = TabCompleter(
        themes: ["dark", "light", "high-contrast"], layers: [0, 2],
        keys: ["abc1", "abc2", "zzz"], addresses: ["10.0.0.1:14441"])

    @Test func completesCommandWords() {
        #expect(completer.complete("pi") == "ping ")
        #expect(completer.complete("f") == "f")  // filter, find, forget: no common prefix beyond "f"
        #expect(completer.complete("fi") == "fi")  // filter, find
        #expect(completer.candidates(for: "f") == ["filter", "find", "forget"])
        #expect(completer.complete("fo") == "forget ")
    }

    @Test func completesArguments() {
        #expect(completer.complete("theme l") == "theme light ")
        #expect(completer.complete("get ab") == "get abc")
        #expect(completer.complete("layer ") == "layer ")
        #expect(completer.candidates(for: "layer ") == ["0", "2"])
        #expect(completer.complete("ping 1") == "ping 10.0.0.1:14441 ")
        #expect(completer.complete("nope") == nil)
    }

    @Test func tabAtThePromptUsesStateCompletions() {
        var st = ConsoleState()
        st.themeNames = ["dark", "light"]
        _ = st.press(.char(":"))
        st.type("the")
        _ = st.press(.tab)
        #expect(st.prompt.buffer.line == "theme ")
        st.type("l")
        _ = st.press(.tab)
        #expect(st.prompt.buffer.line == "theme light ")
        #expect(st.press(.enter) == .switchTheme("light"))
    }
}
