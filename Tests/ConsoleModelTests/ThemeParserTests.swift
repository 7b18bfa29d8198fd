import ConsoleModel
import Testing

/// The repository's `themes/` directory, found relative to this file.
let themesDirectory: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/ConsoleModelTests/ThemeParserTests.swift
    return parts.joined(separator: "/") + "/themes"
}()

let fixturesDirectory: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast()
    return parts.joined(separator: "/") + "/Fixtures"
}()

@Suite struct ThemeParserTests {
    @Test func everyThemeFileLoadsWithEveryRole() throws {
        let files = FileText.list(themesDirectory).filter { $0.hasSuffix(".toml") }
        #expect(files.count >= 3)
        for f in files {
            let text = try #require(FileText.read(themesDirectory + "/" + f))
            let theme = try ThemeParser.parse(text, file: f, fallbackName: f)
            #expect(ThemeRole.allCases.allSatisfy { theme.styles[$0] != nil }, "\(f)")
        }
    }

    @Test func libraryListsAndLoadsByName() throws {
        let lib = ThemeLibrary(directory: themesDirectory)
        #expect(Set(lib.names()).isSuperset(of: ["dark", "light", "high-contrast"]))
        #expect(try lib.load("light").name == "light")
        #expect(throws: ThemeParser.Failure.self) { try lib.load("../etc/passwd") }
    }

    /// Every file of `themes/` is built into the binary, text for text: with no directory at
    /// all, `light` and `high-contrast` load exactly as the files do.
    @Test func themesAreBuiltIntoTheBinary() throws {
        let files = FileText.list(themesDirectory).filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }
        let bare = ThemeLibrary(directories: [])
        #expect(bare.names() == files.sorted())
        for name in files {
            let text = try #require(FileText.read(themesDirectory + "/" + name + ".toml"))
            #expect(try bare.load(name) == ThemeParser.parse(text, file: name, fallbackName: name))
        }
        let error = #expect(throws: ThemeParser.Failure.self) { try bare.load("neon") }
        #expect(error?.description == "neon.toml: no such theme (have: dark, high-contrast, light)")
    }

    /// A user's theme directory adds themes and overrides a built-in one of the same name; a
    /// broken user theme names its path.
    @Test func userThemesComeFirst() throws {
        let dir = fixturesDirectory + "/user-themes"
        let lib = ThemeLibrary(directories: [dir])
        #expect(lib.names() == ["broken", "dark", "high-contrast", "light", "mine"])
        #expect(try lib.load("mine").name == "mine")
        #expect(try lib.load("light").name == "light")
        let error = #expect(throws: ThemeParser.Failure.self) { try lib.load("broken") }
        #expect(error?.description.hasPrefix(dir + "/broken.toml:") == true, "\(error?.description ?? "")")
    }

    @Test(arguments: [
        ("bad-syntax.toml", "bad-syntax.toml:4: TOML syntax:"),
        ("unknown-role.toml", "unknown-role.toml:6: roles.sparkles: unknown role"),
        ("unknown-color.toml", "unknown-color.toml:5: roles.good.fg: unknown color 'neon'"),
        ("color-range.toml", "unknown-color-range.toml"),
        ("missing-roles.toml", "missing-roles.toml:2: roles: missing roles: dim,")
    ])
    func brokenThemesNameFileLineAndKey(file: String, expected: String) throws {
        let text = try #require(FileText.read(fixturesDirectory + "/" + file))
        do {
            _ = try ThemeParser.parse(text, file: file, fallbackName: "x")
            Issue.record("\(file) should not load")
        } catch {
            if file == "color-range.toml" {
                #expect(error.description.hasPrefix("color-range.toml:3: roles.normal.fg: color index 300 is outside 0...255"))
            } else {
                #expect(error.description.hasPrefix(expected), "\(error.description)")
            }
        }
    }

    @Test(arguments: [(196, 1), (46, 2), (21, 4), (231, 7), (16, 0), (9, 1), (244, 7), (235, 0), (3, 3)])
    func eightColorMapping(index: Int, expected: Int) {
        #expect(Theme.eightColor(index) == expected)
    }
}
